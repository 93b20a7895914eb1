import type { Context, Hono } from 'hono';
import { JSON_LINES_CONTENT_TYPE } from '@clearance/client';
import { z } from 'zod';
import { auditActions, type AuditFilter } from '../../domain/model.js';
import type { ConsoleDeps, ConsoleEnv } from '../console-deps.js';
import { requireSession } from '../guards.js';
import { pageUser, renderPage, takeFlash } from '../render.js';
import { AuditPage } from '../views/audit-page.js';
import { ErrorPage } from '../views/error-page.js';
import { jsonLines } from './json-lines.js';
import { exportHref, optionalText } from './list-query.js';

/** Entries shown on the page; the export has no limit. */
const pageSize = 200;

const text = optionalText;

/** A time from a datetime-local field (read as UTC) or a full ISO-8601 timestamp. */
const time = text.refine((v) => v === undefined || !Number.isNaN(Date.parse(toIso(v))), {
  message: 'expected a date and time',
});

export function toIso(value: string): string {
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(value) ? `${value}Z` : value;
}

const auditQuerySchema = z.object({
  actor: text,
  subject: text,
  action: z
    .enum(auditActions)
    .or(z.literal(''))
    .optional()
    .transform((v) => (v === '' ? undefined : v)),
  since: time,
  until: time,
  format: z.enum(['html', 'jsonl']).optional(),
});

function notAvailable(c: Context<ConsoleEnv>): Response | Promise<Response> {
  return renderPage(
    c,
    <ErrorPage
      title="Audit trail not available"
      message="Only auditors and approvers may read the audit trail (see auditorGroups in the service config)."
      user={pageUser(c)}
    />,
    403,
  );
}

/**
 * `/audit`: the trail with filters, and its JSON Lines export (`?format=jsonl`); `/audit/export`:
 * the whole trail with its signed checkpoints, for `clearance audit verify --file`.
 */
export function auditRoutes(app: Hono<ConsoleEnv>, deps: ConsoleDeps): void {
  app.get('/audit/export', requireSession(deps), async (c) => {
    if (!c.get('mayReadAudit')) return notAvailable(c);
    c.header('Content-Type', JSON_LINES_CONTENT_TYPE);
    c.header('Content-Disposition', 'attachment; filename="clearance-audit-export.jsonl"');
    c.header('Cache-Control', 'no-store');
    return c.body(await deps.audit.exportTrail(), 200);
  });
  app.get('/audit', requireSession(deps), async (c) => {
    if (!c.get('mayReadAudit')) return notAvailable(c);
    const parsed = auditQuerySchema.safeParse(c.req.query());
    if (!parsed.success) return c.text('Bad filter', 400);
    const q = parsed.data;
    const filter: AuditFilter = {
      ...(q.actor && { actor: q.actor }),
      ...(q.subject && { subject: q.subject }),
      ...(q.action && { action: q.action }),
      ...(q.since && { since: new Date(toIso(q.since)).toISOString() }),
      ...(q.until && { until: new Date(toIso(q.until)).toISOString() }),
    };
    if (q.format === 'jsonl') {
      return jsonLines(c, 'clearance-audit.jsonl', await deps.audit.readAudit(filter));
    }
    // One more than a page: whether there are older entries than those shown.
    const entries = await deps.audit.readAudit({ ...filter, newest: pageSize + 1 });
    const newest = entries.slice(-pageSize).reverse();
    return renderPage(
      c,
      <AuditPage
        user={pageUser(c)}
        entries={newest}
        truncated={entries.length > newest.length}
        filter={q}
        exportHref={exportHref('/audit', q)}
        flash={takeFlash(c)}
      />,
    );
  });
}
