import { Hono } from 'hono';
import { z } from 'zod';
import type { ApprovalService } from '../service/approval-service.js';
import { parseInput } from '../service/parse-input.js';
import type { ApiEnv } from './bearer-auth.js';
import { MAX_BULK_BODY_BYTES, readJson } from './json-body.js';

const approvalsQuerySchema = z.object({ stack: z.string() }).strict();

/** What a deployment run calls: `/v1/checks`, `/v1/approvals` and `/v1/runs`. */
export function runRoutes(service: ApprovalService): Hono<ApiEnv> {
  const routes = new Hono<ApiEnv>();

  routes.post('/checks', async (c) =>
    c.json({
      results: await service.checks(c.get('actor'), await readJson(c, MAX_BULK_BODY_BYTES)),
    }),
  );

  routes.get('/approvals', async (c) => {
    const { stack } = parseInput(approvalsQuerySchema, c.req.query());
    return c.json(await service.approvals(c.get('actor'), stack));
  });

  routes.post('/runs', async (c) => {
    await service.reportRun(c.get('actor'), await readJson(c, MAX_BULK_BODY_BYTES));
    return c.body(null, 204);
  });

  return routes;
}
