import type { FC } from 'hono/jsx';
import type { RequestView } from '@clearance/client';
import { resourceName } from '@clearance/client';
import { BreakGlassFacts, BreakGlassReviewForm } from './break-glass-section.js';
import { MessageList, StatusBadge, type Messages } from './components.js';
import { Layout, type PageUser } from './layout.js';

export interface NeedsReviewPageProps extends Messages {
  user: PageUser;
  /** Break-glass approvals not yet reviewed, oldest first, with whether the viewer reviews them. */
  items: { request: RequestView; overdue: boolean; canReview: boolean }[];
  now: Date;
}

/** Break-glass approvals waiting for their reviewers to acknowledge or flag them. */
export const NeedsReviewPage: FC<NeedsReviewPageProps> = (p) => (
  <Layout title="Needs review" user={p.user} section="needs-review">
    <h1>Needs review</h1>
    <MessageList flash={p.flash} error={p.error} />
    <p class="hint">
      Approvals given at once by break-glass. Each stays here until a reviewer of its rule
      acknowledges or flags it.
    </p>
    {p.items.length === 0 ? (
      <p class="empty">No break-glass approval waits for review.</p>
    ) : (
      <ul class="list" aria-label="Break-glass approvals to review">
        {p.items.map(({ request: r, overdue, canReview }) => (
          <li class={overdue ? 'card overdue' : 'card'}>
            <div class="item-head">
              <h2>
                <a href={`/requests/${encodeURIComponent(r.id)}`}>
                  {r.policy}: {resourceName(r.urn)}
                </a>{' '}
                <StatusBadge status={r.status} />
              </h2>
            </div>
            <p class="meta">
              <span>{r.stack}</span>
              <span>asked by {r.requester}</span>
              {overdue && <strong>review overdue</strong>}
            </p>
            <BreakGlassFacts request={r} now={p.now} />
            {canReview && <BreakGlassReviewForm requestId={r.id} formToken={p.user.formToken} />}
          </li>
        ))}
      </ul>
    )}
  </Layout>
);
