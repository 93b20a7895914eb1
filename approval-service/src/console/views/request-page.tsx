import type { FC } from 'hono/jsx';
import type { RequestView } from '../../client/api.js';
import type { Eligibility } from '../../service/approval-service.types.js';
import { resourceName } from '../format.js';
import { MessageList, StatusBadge, type Messages } from './components.js';
import { DecisionForm, RevokeForm, type DecisionDraft } from './decision-form.js';
import { Layout, type PageUser } from './layout.js';
import { Facts, MaterialTable, RequirementsList, Reviews } from './request-sections.js';

export interface RequestPageProps extends Messages {
  user: PageUser;
  request: RequestView;
  now: Date;
  eligibility: Eligibility;
  canRevoke: boolean;
  draft?: DecisionDraft;
}

const Decision: FC<RequestPageProps> = (p) => {
  const r = p.request;
  if (r.status !== 'pending') {
    return <p>This request is {r.status}; it can no longer be decided.</p>;
  }
  if (!p.eligibility.canDecide) {
    return (
      <p>
        <strong>You cannot decide this request:</strong> {p.eligibility.why}
      </p>
    );
  }
  return (
    <DecisionForm
      requestId={r.id}
      formToken={p.user.formToken}
      requirements={r.requirements}
      requestedDurationSeconds={r.requestedDurationSeconds}
      now={p.now}
      draft={p.draft}
    />
  );
};

/** Everything an approver needs to decide one request, and the form to decide it. */
export const RequestPage: FC<RequestPageProps> = (p) => {
  const r = p.request;
  return (
    <Layout title={`${r.policy}: ${resourceName(r.urn)}`} user={p.user} section="pending">
      <h1>
        {r.policy}: {resourceName(r.urn)} <StatusBadge status={r.status} />
      </h1>
      <MessageList flash={p.flash} error={p.error} />
      <div class="detail">
        <div>
          <section class="card" aria-labelledby="h-request">
            <h2 id="h-request">Request</h2>
            <Facts r={r} now={p.now} />
          </section>
          <section class="card" aria-labelledby="h-why">
            <h2 id="h-why">Why it is sensitive</h2>
            <p>{r.summary}</p>
            <MaterialTable material={r.material} />
          </section>
          <section class="card" aria-labelledby="h-reason">
            <h2 id="h-reason">Requester’s reason</h2>
            <p>{r.reason === '' ? <span class="empty">No reason given.</span> : r.reason}</p>
          </section>
          <section aria-labelledby="h-reviews">
            <h2 id="h-reviews">Reviews ({r.progress.text})</h2>
            <Reviews request={r} />
          </section>
        </div>
        <div>
          <section class="card" aria-labelledby="h-decision">
            <h2 id="h-decision">Your decision</h2>
            <Decision {...p} />
          </section>
          {r.status === 'approved' && p.canRevoke && (
            <section class="card" aria-labelledby="h-revoke">
              <h2 id="h-revoke">Revoke</h2>
              <RevokeForm requestId={r.id} formToken={p.user.formToken} />
            </section>
          )}
          <section class="card" aria-labelledby="h-requirements">
            <h2 id="h-requirements">Requirements</h2>
            <RequirementsList req={r.requirements} />
          </section>
        </div>
      </div>
    </Layout>
  );
};
