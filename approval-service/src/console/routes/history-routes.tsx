import type { Hono } from 'hono';
import type { RequestView } from '@clearance/client';
import type { ConsoleDeps, ConsoleEnv } from '../console-deps.js';
import { requireSession } from '../guards.js';
import { pageUser, renderPage, takeFlash } from '../render.js';
import { HistoryPage } from '../views/history-page.js';
import { jsonLines } from './json-lines.js';
import { choices, exportHref, listQuery, matches, newestFirst } from './list-query.js';

/** A request as exported: everything but its token (a bearer credential for deployments). */
function exported(r: RequestView): Omit<RequestView, 'token'> {
  const { token: _token, ...rest } = r;
  return rest;
}

/** `/history`: every request with filters, and its JSON Lines export (`?format=jsonl`). */
export function historyRoutes(app: Hono<ConsoleEnv>, deps: ConsoleDeps): void {
  app.get('/history', requireSession(deps), async (c) => {
    const q = listQuery(c);
    if (!q) return c.text('Bad filter', 400);
    const all = await deps.requests.listRequests();
    const shown = all.filter((r) => matches(r, q)).sort(newestFirst);
    if (q.format === 'jsonl') {
      return jsonLines(c, 'clearance-requests.jsonl', shown.map(exported));
    }
    return renderPage(
      c,
      <HistoryPage
        user={pageUser(c)}
        requests={shown}
        filter={q}
        stacks={choices(
          all.map((r) => r.stack),
          q.stack,
        )}
        policies={choices(
          all.map((r) => r.policy),
          q.policy,
        )}
        exportHref={exportHref('/history', q)}
        flash={takeFlash(c)}
      />,
    );
  });
}
