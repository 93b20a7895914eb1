import type { FC } from 'hono/jsx';
import type { RequestView } from '@clearance/client';
import { formatDuration, resourceName } from '@clearance/client';
import { Layout, type PageUser } from './layout.js';

/** What a denial does, in the words the decision form and the confirmation both use. */
export function denialMeaning(cooldownSeconds: number | undefined): string {
  const lifted =
    cooldownSeconds === undefined
      ? 'until an approver of its rule reopens the denied request'
      : `until an approver of its rule reopens the denied request, or for ${formatDuration(cooldownSeconds)}`;
  return (
    'A denial is final: one denial decides the request whatever the other approvers say, the ' +
    `deployment that needs it stops, and the same change cannot be asked for again ${lifted}.`
  );
}

export interface DenyConfirmPageProps {
  user: PageUser;
  request: RequestView;
  reason: string;
  cooldownSeconds: number | undefined;
}

/**
 * The one question before a denial, as a page of its own so that it works without script: the
 * reason typed comes along in the form, and going back leaves the request undecided.
 */
export const DenyConfirmPage: FC<DenyConfirmPageProps> = (p) => {
  const r = p.request;
  const page = `/requests/${encodeURIComponent(r.id)}`;
  return (
    <Layout title={`Deny ${resourceName(r.urn)}?`} user={p.user} section="pending">
      <h1>
        Deny {r.policy}: {resourceName(r.urn)}?
      </h1>
      <section class="card" aria-labelledby="h-confirm">
        <h2 id="h-confirm">Confirm the denial</h2>
        <p id="deny-meaning">{denialMeaning(p.cooldownSeconds)}</p>
        <p>
          Your reason: {p.reason.trim() === '' ? <span class="empty">none given.</span> : p.reason}
        </p>
        <form method="post" action={`${page}/review`}>
          <input type="hidden" name="_token" value={p.user.formToken} />
          <input type="hidden" name="decision" value="deny" />
          <input type="hidden" name="confirm" value="deny" />
          <input type="hidden" name="reason" value={p.reason} />
          <div class="actions">
            <button type="submit" class="deny" aria-describedby="deny-meaning">
              Deny this change
            </button>
            <a class="button secondary" href={page}>
              Back, do not deny
            </a>
          </div>
        </form>
      </section>
    </Layout>
  );
};
