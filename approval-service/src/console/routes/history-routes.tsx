import type { Hono } from 'hono';
import type { RequestView } from '@clearance/client';
import type { ConsoleDeps, ConsoleEnv } from '../console-deps.js';
import { requireSession } from '../guards.js';
import { pageUser, renderPage, takeFlash } from '../render.js';
import { HistoryPage } from '../views/history-page.js';
import { jsonLines } from './json-lines.js';
import { choices, exportHref, listQuery } from './list-query.js';
import { everyMatch, pageLinks, pageSize } from './request-pages.js';

/** A request as exported: everything but its token (a bearer credential for deployments). */
function exported(r: RequestView): Omit<RequestView, 'token'> {
  const { token: _token, ...rest } = r;
  return rest;
}

/**
 * `/history`: the requests with filters, a page at a time from store offset `from`, and the
 * JSON Lines export of every match (`?format=jsonl`).
 */
export function historyRoutes(app: Hono<ConsoleEnv>, deps: ConsoleDeps): void {
  const { requests } = deps;
  app.get('/history', requireSession(deps), async (c) => {
    const q = listQuery(c);
    if (!q) return c.text('Bad filter', 400);
    const filters = { stack: q.stack, policy: q.policy, status: q.status };
    const filter = { ...filters, status: q.status && [q.status] };
    if (q.format === 'jsonl') {
      const all = await everyMatch(requests, filter);
      return jsonLines(c, 'clearance-requests.jsonl', all.map(exported));
    }
    const from = q.from ?? 0;
    const [page, facets] = await Promise.all([
      requests.listPage(filter, { offset: from, limit: pageSize }),
      requests.requestFacets(),
    ]);
    return renderPage(
      c,
      <HistoryPage
        user={pageUser(c)}
        requests={page.requests}
        filter={q}
        stacks={choices(facets.stacks, q.stack)}
        policies={choices(facets.policies, q.policy)}
        exportHref={exportHref('/history', filters)}
        {...pageLinks('/history', filters, from, page.next)}
        flash={takeFlash(c)}
      />,
    );
  });
}
