import type { FC } from 'hono/jsx';
import type { RequestView } from '@clearance/client';
import { formatDuration } from '@clearance/client';
import { When } from './components.js';

/** What the viewer may do about break-glass on one request. */
export interface BreakGlassAbilities {
  /** A member of the rule's break-glass groups, on a pending request. */
  canBreakGlass: boolean;
  /** A reviewer of the rule, on a break-glass approval not yet reviewed. */
  canReview: boolean;
}

const action = (id: string, path: string): string => `/requests/${encodeURIComponent(id)}/${path}`;

/** Approve at once, with a reason and a duration up to the rule's break-glass maximum. */
export const BreakGlassForm: FC<{ request: RequestView; formToken: string }> = ({
  request: r,
  formToken,
}) => {
  const rule = r.requirements.breakGlass;
  if (!rule) return null;
  return (
    <form class="break-glass" method="post" action={action(r.id, 'break-glass')}>
      <input type="hidden" name="_token" value={formToken} />
      <p class="hint">
        Approves at once, your own request included, for at most{' '}
        {formatDuration(rule.maxDurationSeconds)}. {rule.reviewerGroups.join(' or ')} must review it
        within {formatDuration(rule.reviewWithinSeconds)}.
      </p>
      <div class="field">
        <label for={`glass-reason-${r.id}`}>
          Reason for breaking the glass{rule.reasonRequired ? ' (required)' : ' (optional)'}
        </label>
        <input
          id={`glass-reason-${r.id}`}
          name="reason"
          maxlength={4000}
          required={rule.reasonRequired}
        />
      </div>
      <button type="submit" class="danger">
        Break glass
      </button>
    </form>
  );
};

/** Acknowledge or flag a break-glass approval, afterwards. */
export const BreakGlassReviewForm: FC<{ requestId: string; formToken: string }> = (p) => (
  <form class="break-glass-review" method="post" action={action(p.requestId, 'break-glass/review')}>
    <input type="hidden" name="_token" value={p.formToken} />
    <div class="field">
      <label for={`glass-review-${p.requestId}`}>Note (required to flag)</label>
      <input id={`glass-review-${p.requestId}`} name="reason" maxlength={4000} />
    </div>
    <button type="submit" name="outcome" value="acknowledge">
      Acknowledge
    </button>{' '}
    <button type="submit" name="outcome" value="flag" class="danger">
      Flag
    </button>
  </form>
);

/** Who broke the glass and why, and where its review stands. */
export const BreakGlassFacts: FC<{ request: RequestView; now: Date }> = ({ request: r, now }) => {
  const glass = r.breakGlass;
  if (!glass) return null;
  const review = glass.review;
  const overdue = !review && Date.parse(glass.reviewDueAt) <= now.getTime();
  return (
    <dl class="facts break-glass-facts">
      <dt>Broken by</dt>
      <dd>
        {glass.by} <When iso={glass.at} now={now} />
      </dd>
      <dt>Reason</dt>
      <dd>{glass.reason === '' ? <span class="empty">No reason given.</span> : glass.reason}</dd>
      <dt>Granted</dt>
      <dd>{formatDuration(glass.grantedSeconds)}</dd>
      <dt>Review</dt>
      <dd>
        {review ? (
          <>
            {review.outcome} by {review.reviewer} <When iso={review.at} now={now} />
            {review.reason ? `: ${review.reason}` : ''}
          </>
        ) : (
          <>
            <strong>{overdue ? 'Overdue' : 'Needs review'}</strong>, due{' '}
            <When iso={glass.reviewDueAt} now={now} />
          </>
        )}
      </dd>
    </dl>
  );
};

/** The request page's break-glass card: its facts, or the form to break the glass. */
export const BreakGlassSection: FC<{
  request: RequestView;
  now: Date;
  formToken: string;
  abilities: BreakGlassAbilities;
}> = (p) => {
  const r = p.request;
  if (!r.breakGlass && !p.abilities.canBreakGlass) return null;
  return (
    <section class="card" id="break-glass" aria-labelledby="h-break-glass">
      <h2 id="h-break-glass">Break-glass</h2>
      <BreakGlassFacts request={r} now={p.now} />
      {p.abilities.canBreakGlass && <BreakGlassForm request={r} formToken={p.formToken} />}
      {p.abilities.canReview && <BreakGlassReviewForm requestId={r.id} formToken={p.formToken} />}
    </section>
  );
};
