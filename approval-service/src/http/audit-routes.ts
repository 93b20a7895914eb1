import { JSON_LINES_CONTENT_TYPE, toJsonLines } from '@clearance/client';
import { Hono } from 'hono';
import { z } from 'zod';
import { auditActions, type AuditFilter } from '../domain/model.js';
import type { AuditAccess } from '../service/audit-access.js';
import type { ApiEnv } from './bearer-auth.js';
import { validInput } from './valid-input.js';

const auditQuerySchema = z
  .object({
    since: z.iso.datetime({ offset: true }).optional(),
    until: z.iso.datetime({ offset: true }).optional(),
    actor: z.string().min(1).max(200).optional(),
    action: z.enum(auditActions).optional(),
    subject: z.string().min(1).max(2000).optional(),
    limit: z.coerce.number().int().min(1).max(1_000_000).optional(),
    format: z.enum(['json', 'jsonl']).default('json'),
  })
  .strict();

/**
 * `/v1/audit`: the audit trail, filtered, as JSON or JSON Lines, and `/v1/audit/export`, the whole
 * trail with its signed checkpoints; for auditors and approvers only.
 */
export function auditRoutes(audit: AuditAccess): Hono<ApiEnv> {
  const routes = new Hono<ApiEnv>();
  routes.get(
    '/',
    async (c, next) => {
      audit.assertMayReadAudit(c.get('actor'));
      await next();
    },
    validInput('query', auditQuerySchema),
    async (c) => {
      const { format, ...query } = c.req.valid('query');
      const filter: AuditFilter = {};
      for (const [key, value] of Object.entries(query)) {
        if (value !== undefined) Object.assign(filter, { [key]: value });
      }
      const entries = await audit.readAudit(filter);
      if (format === 'json') return c.json({ entries });
      return c.body(toJsonLines(entries), 200, { 'content-type': JSON_LINES_CONTENT_TYPE });
    },
  );
  // The whole trail with its signed checkpoints and their keys: `clearance audit verify --file`.
  routes.get('/export', async (c) => {
    audit.assertMayReadAudit(c.get('actor'));
    return c.body(await audit.exportTrail(), 200, {
      'content-type': JSON_LINES_CONTENT_TYPE,
      'content-disposition': 'attachment; filename="clearance-audit-export.jsonl"',
    });
  });
  return routes;
}
