import type { FC } from 'hono/jsx';
import type { RequestView } from '@clearance/client';
import { resourceName } from '@clearance/client';
import { MessageList, When, type Messages } from './components.js';
import { RevokeForm } from './decision-form.js';
import { FilterForm } from './filter-form.js';
import { Layout, type PageUser } from './layout.js';

export interface ApprovalsPageProps extends Messages {
  user: PageUser;
  /** Active approvals, each with whether the viewer may revoke it. */
  approvals: { request: RequestView; canRevoke: boolean }[];
  now: Date;
  filter: { stack?: string | undefined };
  stacks: string[];
}

function approvers(r: RequestView): string {
  return r.reviews
    .filter((v) => v.decision === 'approve')
    .map((v) => v.reviewer)
    .join(', ');
}

/** Approvals in force, soonest to end first, with a way to revoke them. */
export const ApprovalsPage: FC<ApprovalsPageProps> = (p) => (
  <Layout title="Active approvals" user={p.user} section="approvals">
    <h1>Active approvals</h1>
    <MessageList flash={p.flash} error={p.error} />
    <FilterForm
      action="/approvals"
      label="Filter approvals"
      fields={[{ name: 'stack', label: 'Stack', value: p.filter.stack, options: p.stacks }]}
    />
    {p.approvals.length === 0 ? (
      <p class="empty">No approval is in force{p.filter.stack ? ' for this stack' : ''}.</p>
    ) : (
      <ul class="list" aria-label="Active approvals">
        {p.approvals.map(({ request: r, canRevoke }) => (
          <li class="card">
            <div class="item-head">
              <h2>
                <a href={`/requests/${encodeURIComponent(r.id)}`}>
                  {r.policy}: {resourceName(r.urn)}
                </a>
              </h2>
            </div>
            <p class="meta">
              <span>{r.stack}</span>
              <span>asked by {r.requester}</span>
              <span>approved by {approvers(r)}</span>
            </p>
            <p>
              Ends <When iso={r.expiresAt} now={p.now} />
            </p>
            {canRevoke && <RevokeForm requestId={r.id} formToken={p.user.formToken} />}
          </li>
        ))}
      </ul>
    )}
  </Layout>
);
