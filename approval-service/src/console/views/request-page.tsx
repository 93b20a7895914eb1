import type { FC } from 'hono/jsx';
import type { RequestView } from '@clearance/client';
import type { Eligibility } from '../../domain/eligibility.js';
import { resourceName } from '@clearance/client';
import { MessageList, StatusBadge, When, type Messages } from './components.js';
import type { RequestContextView } from '../../service/context-view.js';
import { BeforeAfter } from './before-after.js';
import { BreakGlassSection, type BreakGlassAbilities } from './break-glass-section.js';
import { ContextSection } from './context-section.js';
import { DecisionForm, ReopenForm, RevokeForm, type DecisionDraft } from './decision-form.js';
import { Layout, type PageUser } from './layout.js';
import { PipelineSection } from './pipeline-section.js';
import { Facts, MaterialTable, RequirementsList, Reviews } from './request-sections.js';

export interface RequestPageProps extends Messages {
  user: PageUser;
  request: RequestView;
  now: Date;
  eligibility: Eligibility;
  canRevoke: boolean;
  /** Whether the viewer may lift this request's denial (an approver of its rule, not its requester). */
  canReopen: boolean;
  draft?: DecisionDraft | undefined;
  /** How long a denial stands unless reopened (service config); undefined: until reopened. */
  denialCooldownSeconds?: number | undefined;
  /** The last approved request for the same stack, URN and policy, to compare with. */
  previous?: RequestView | undefined;
  /** The freeze on the stack and the conditions of the rule, with their verdicts now. */
  context?: RequestContextView | undefined;
  /** What the viewer may do about break-glass; absent when the service offers none. */
  breakGlass?: BreakGlassAbilities | undefined;
}

/** Where a denial stands: for how long the same change stays refused, or who lifted it. */
const Denial: FC<RequestPageProps> = (p) => {
  const r = p.request;
  if (r.reopenedAt) {
    return (
      <p>
        Reopened by {r.reopenedBy} <When iso={r.reopenedAt} />
        {r.reopenReason ? `: ${r.reopenReason}` : ''}. The same change may be asked for again.
      </p>
    );
  }
  if (r.denialEndsAt && Date.parse(r.denialEndsAt) <= p.now.getTime()) {
    return (
      <p>
        The denial lapsed <When iso={r.denialEndsAt} now={p.now} />: the same change may be asked
        for again.
      </p>
    );
  }
  return (
    <>
      <p>
        The same change stays denied until an approver reopens this request
        {r.denialEndsAt && (
          <>
            , or until <When iso={r.denialEndsAt} now={p.now} />
          </>
        )}
        .
      </p>
      {p.canReopen && (
        <ReopenForm
          requestId={r.id}
          formToken={p.user.formToken}
          reasonRequired={r.requirements.reasonRequired}
        />
      )}
    </>
  );
};

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
      denialCooldownSeconds={p.denialCooldownSeconds}
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
      {r.status === 'pending' && p.eligibility.canDecide && (
        <nav class="decide-bar" aria-label="Decision">
          <span>{r.progress.text}</span>
          <a class="button" href="#decision">
            Approve or deny
          </a>
        </nav>
      )}
      <div class="detail">
        <div>
          <section class="card" aria-labelledby="h-request">
            <h2 id="h-request">Request</h2>
            <Facts r={r} now={p.now} />
          </section>
          <PipelineSection pipeline={r.pipeline} />
          <section class="card" aria-labelledby="h-why">
            <h2 id="h-why">Why it is sensitive</h2>
            <p class="hint">
              The properties that made the policy ask for an approval. The service checked them
              against the fingerprint: an approval covers exactly these values.
            </p>
            <MaterialTable material={r.material} names={r.propertyNames} />
            <h3 id="h-summary">Summary, in the requester’s words</h3>
            <p class="hint">Sent with the request and not checked by the service.</p>
            <p>{r.summary}</p>
          </section>
          <BeforeAfter request={r} previous={p.previous} />
          <section class="card" aria-labelledby="h-reason">
            <h2 id="h-reason">Requester’s reason</h2>
            <p>{r.reason === '' ? <span class="empty">No reason given.</span> : r.reason}</p>
            {r.contextUrl && (
              <p>
                Context:{' '}
                <a href={r.contextUrl} rel="noreferrer">
                  {r.contextUrl}
                </a>
              </p>
            )}
          </section>
          <section aria-labelledby="h-reviews">
            <h2 id="h-reviews">Reviews ({r.progress.text})</h2>
            <Reviews request={r} />
          </section>
        </div>
        <div>
          <section class="card" id="decision" aria-labelledby="h-decision">
            <h2 id="h-decision">Your decision</h2>
            <Decision {...p} />
          </section>
          <BreakGlassSection
            request={r}
            now={p.now}
            formToken={p.user.formToken}
            abilities={p.breakGlass ?? { canBreakGlass: false, canReview: false }}
          />
          {r.status === 'denied' && (
            <section class="card" aria-labelledby="h-denial">
              <h2 id="h-denial">Denial</h2>
              <Denial {...p} />
            </section>
          )}
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
          {p.context && <ContextSection context={p.context} now={p.now} />}
        </div>
      </div>
    </Layout>
  );
};
