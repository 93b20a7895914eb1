import { Hono } from 'hono';
import { z } from 'zod';
import { endpointLimits, runContextSchema } from '@clearance/client';
import type { ApprovalService } from '../service/approval-service.js';
import { parseInput } from '../service/parse-input.js';
import type { ApiEnv } from './bearer-auth.js';
import { limitBody, readJson } from './json-body.js';

const checksLimit = endpointLimits.checks.maxBodyBytes;
const runsLimit = endpointLimits.runs.maxBodyBytes;

/** `?stack=` and, from a run, `&run=<id>&dryRun=true|false` (both or neither). */
const approvalsQuerySchema = z
  .object({
    stack: z.string(),
    run: runContextSchema.shape.id.optional(),
    dryRun: z.enum(['true', 'false'], { error: 'expected true or false' }).optional(),
  })
  .strict()
  .superRefine((q, ctx) => {
    if ((q.run === undefined) === (q.dryRun === undefined)) return;
    ctx.addIssue({
      code: 'custom',
      path: [q.run === undefined ? 'run' : 'dryRun'],
      message: 'run and dryRun name the run together: give both or neither',
    });
  })
  .transform(({ stack, run, dryRun }) => ({
    stack,
    run: run === undefined ? undefined : { id: run, dryRun: dryRun === 'true' },
  }));

/** What a deployment run calls: `/v1/checks`, `/v1/approvals` and `/v1/runs`. */
export function runRoutes(service: ApprovalService): Hono<ApiEnv> {
  const routes = new Hono<ApiEnv>();

  routes.post('/checks', limitBody(checksLimit), async (c) =>
    c.json({
      results: await service.checks(c.get('actor'), await readJson(c, checksLimit)),
    }),
  );

  routes.get('/approvals', async (c) => {
    const { stack, run } = parseInput(approvalsQuerySchema, c.req.query());
    if (run) c.set('run', run);
    return c.json(await service.approvals(c.get('actor'), stack, run));
  });

  routes.post('/runs', limitBody(runsLimit), async (c) => {
    await service.reportRun(c.get('actor'), await readJson(c, runsLimit));
    return c.body(null, 204);
  });

  return routes;
}
