import type { FC } from 'hono/jsx';
import type { Requirements } from '@clearance/client';
import { describeWindow, formatDuration, isInWindow } from '@clearance/client';
import { defaultDuration, durationChoices } from '../format.js';
import { denialMeaning } from './deny-confirm-page.js';

/** What the approver typed, kept when the page is shown again after an error. */
export interface DecisionDraft {
  reason?: string | undefined;
  durationSeconds?: number | undefined;
}

export interface DecisionFormProps {
  requestId: string;
  formToken: string;
  requirements: Requirements;
  requestedDurationSeconds?: number | undefined;
  now: Date;
  draft?: DecisionDraft | undefined;
  /** How long a denial stands unless reopened (service config); undefined: until reopened. */
  denialCooldownSeconds?: number | undefined;
}

/** Approve or deny with a reason and a duration no longer than the rule allows. */
export const DecisionForm: FC<DecisionFormProps> = (p) => {
  const max = p.requirements.maxDurationSeconds;
  const selected = p.draft?.durationSeconds ?? defaultDuration(max, p.requestedDurationSeconds);
  const window = p.requirements.window;
  return (
    <form method="post" action={`/requests/${encodeURIComponent(p.requestId)}/review`}>
      <input type="hidden" name="_token" value={p.formToken} />
      {window && (
        <p class="hint" id="window-hint">
          Decisions and deployments only within {describeWindow(window)} (now{' '}
          {isInWindow(window, p.now) ? 'inside' : 'outside'} the window).
        </p>
      )}
      <div class="field">
        <label for="reason">
          Reason{p.requirements.reasonRequired ? ' (required)' : ' (optional)'}
        </label>
        <textarea
          id="reason"
          name="reason"
          maxlength={4000}
          required={p.requirements.reasonRequired}
        >
          {p.draft?.reason ?? ''}
        </textarea>
      </div>
      <div class="field">
        <label for="duration">Approval lasts</label>
        <select id="duration" name="durationSeconds" aria-describedby="duration-hint">
          {durationChoices(max, p.requestedDurationSeconds).map((d) => (
            <option value={String(d)} selected={d === selected}>
              {formatDuration(d)}
              {d === p.requestedDurationSeconds ? ' (asked for)' : ''}
            </option>
          ))}
        </select>
        <p class="hint" id="duration-hint">
          At most {formatDuration(max)} (rule “{p.requirements.rule}”). The approval lasts the
          shortest duration given, from the decision that completes the quorum.
        </p>
      </div>
      <div class="actions">
        <button type="submit" name="decision" value="approve" class="approve">
          Approve
        </button>
        <button
          type="submit"
          name="decision"
          value="deny"
          class="deny"
          aria-describedby="deny-hint"
        >
          Deny…
        </button>
      </div>
      <p class="hint" id="deny-hint">
        Deny asks you to confirm. {denialMeaning(p.denialCooldownSeconds)}
      </p>
    </form>
  );
};

/** End an active approval early. */
export const RevokeForm: FC<{ requestId: string; formToken: string }> = (p) => (
  <form class="revoke" method="post" action={`/requests/${encodeURIComponent(p.requestId)}/revoke`}>
    <input type="hidden" name="_token" value={p.formToken} />
    <div class="field">
      <label for={`revoke-reason-${p.requestId}`}>Reason for revoking (optional)</label>
      <input id={`revoke-reason-${p.requestId}`} name="reason" maxlength={4000} />
    </div>
    <button type="submit" class="danger">
      Revoke
    </button>
  </form>
);

/** Lift a denial, so that the same change may be asked for again (by a new request). */
export const ReopenForm: FC<{ requestId: string; formToken: string; reasonRequired: boolean }> = (
  p,
) => (
  <form class="reopen" method="post" action={`/requests/${encodeURIComponent(p.requestId)}/reopen`}>
    <input type="hidden" name="_token" value={p.formToken} />
    <div class="field">
      <label for={`reopen-reason-${p.requestId}`}>
        Reason for reopening{p.reasonRequired ? ' (required)' : ' (optional)'}
      </label>
      <input
        id={`reopen-reason-${p.requestId}`}
        name="reason"
        maxlength={4000}
        required={p.reasonRequired}
      />
    </div>
    <button type="submit">Reopen</button>
  </form>
);
