import { Hono } from 'hono';
import { z } from 'zod';
import {
  checksBodySchema,
  endpointLimits,
  plainChecksBody,
  runContextSchema,
  runReportBodySchema,
} from '@clearance/client';
import type { RunChecks } from '../service/run-checks.js';
import type { ApiEnv } from './bearer-auth.js';
import { jsonBody } from './json-body.js';
import { validInput } from './valid-input.js';

const checksLimit = endpointLimits.checks.maxBodyBytes;
const runsLimit = endpointLimits.runs.maxBodyBytes;

/** `?stack=` and, from a run, `&run=<id>&dryRun=true|false` (both or neither). */
const approvalsQuerySchema = z
  .object({
    stack: checksBodySchema.shape.stack,
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
export function runRoutes(runs: RunChecks): Hono<ApiEnv> {
  const routes = new Hono<ApiEnv>();

  routes.post(
    '/checks',
    jsonBody(checksLimit),
    validInput('json', checksBodySchema, { plain: plainChecksBody }),
    async (c) => c.json({ results: await runs.checks(c.get('actor'), c.req.valid('json')) }),
  );

  routes.get('/approvals', validInput('query', approvalsQuerySchema), async (c) => {
    const { stack, run } = c.req.valid('query');
    // The run is recorded nowhere (a read), but named in the log of an unexpected failure.
    if (run) c.set('run', run);
    return c.json(await runs.approvals(c.get('actor'), stack));
  });

  routes.post('/runs', jsonBody(runsLimit), validInput('json', runReportBodySchema), async (c) => {
    await runs.reportRun(c.get('actor'), c.req.valid('json'));
    return c.body(null, 204);
  });

  return routes;
}
