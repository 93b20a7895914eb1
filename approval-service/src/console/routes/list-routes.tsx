import type { Hono } from 'hono';
import type { ConsoleDeps, ConsoleEnv } from '../console-deps.js';
import { requireSession } from '../guards.js';
import { pageUser, renderPage, takeFlash } from '../render.js';
import { ApprovalsPage } from '../views/approvals-page.js';
import { PendingPage } from '../views/pending-page.js';
import { choices, listQuery } from './list-query.js';
import { pageLinks, pageSize } from './request-pages.js';
import { mayRevoke } from './request-routes.js';

/** `/` (pending requests, a page at a time from store offset `from`) and `/approvals` (active approvals). */
export function listRoutes(app: Hono<ConsoleEnv>, deps: ConsoleDeps): void {
  const { requests, clock } = deps;
  const session = requireSession(deps);

  app.get('/', session, async (c) => {
    const q = listQuery(c);
    if (!q) return c.text('Bad filter', 400);
    const filters = { stack: q.stack, policy: q.policy };
    const from = q.from ?? 0;
    const [page, facets] = await Promise.all([
      requests.listPage({ ...filters, status: ['pending'] }, { offset: from, limit: pageSize }),
      requests.requestFacets(),
    ]);
    return renderPage(
      c,
      <PendingPage
        user={pageUser(c)}
        requests={page.requests}
        now={clock.now()}
        filter={q}
        stacks={choices(facets.stacks, q.stack)}
        policies={choices(facets.policies, q.policy)}
        {...pageLinks('/', filters, from, page.next)}
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
