import type { Hono } from 'hono';
import type { ConsoleDeps, ConsoleEnv } from '../console-deps.js';
import { requireSession } from '../guards.js';
import { pageUser, renderPage, takeFlash } from '../render.js';
import { ApprovalsPage } from '../views/approvals-page.js';
import { PendingPage } from '../views/pending-page.js';
import { choices, listQuery, matches, newestFirst } from './list-query.js';
import { mayRevoke } from './request-routes.js';

/** `/` (pending requests) and `/approvals` (active approvals). */
export function listRoutes(app: Hono<ConsoleEnv>, deps: ConsoleDeps): void {
  const { requests, clock } = deps;
  const session = requireSession(deps);

  app.get('/', session, async (c) => {
    const q = listQuery(c);
    if (!q) return c.text('Bad filter', 400);
    const pending = (await requests.listRequests({ status: ['pending'] })).filter(
      (r) => r.status === 'pending',
    );
    return renderPage(
      c,
      <PendingPage
        user={pageUser(c)}
        requests={pending.filter((r) => matches(r, { ...q, status: undefined })).sort(newestFirst)}
        now={clock.now()}
        filter={q}
        stacks={choices(
          pending.map((r) => r.stack),
          q.stack,
        )}
        policies={choices(
          pending.map((r) => r.policy),
          q.policy,
        )}
        flash={takeFlash(c)}
      />,
    );
  });

  app.get('/approvals', session, async (c) => {
    const q = listQuery(c);
    if (!q) return c.text('Bad filter', 400);
    const now = clock.now().getTime();
    const active = (await requests.listRequests({ status: ['approved'] })).filter(
      (r) => r.status === 'approved' && Date.parse(r.expiresAt) > now,
    );
    const actor = c.get('session').actor;
    return renderPage(
      c,
      <ApprovalsPage
        user={pageUser(c)}
        approvals={active
          .filter((r) => q.stack === undefined || r.stack === q.stack)
          .sort((a, b) => Date.parse(a.expiresAt) - Date.parse(b.expiresAt))
          .map((request) => ({ request, canRevoke: mayRevoke(actor, request) }))}
        now={clock.now()}
        filter={q}
        stacks={choices(
          active.map((r) => r.stack),
          q.stack,
        )}
        flash={takeFlash(c)}
      />,
    );
  });
}
