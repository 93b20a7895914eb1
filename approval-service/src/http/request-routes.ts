import { Hono } from 'hono';
import { z } from 'zod';
import { endpointLimits, type RequestStatus } from '@clearance/client';
import type { ApprovalService } from '../service/approval-service.js';
import { parseInput } from '../service/parse-input.js';
import type { ApiEnv } from './bearer-auth.js';
import { limitBody, readJson } from './json-body.js';

const createLimit = endpointLimits.createRequest.maxBodyBytes;
const decisionLimit = endpointLimits.decision.maxBodyBytes;

const statuses = ['pending', 'approved', 'denied', 'expired', 'revoked'] as const;

const listQuerySchema = z
  .object({
    status: z
      .string()
      .transform((s) => s.split(',').map((p) => p.trim()))
      .pipe(z.array(z.enum(statuses)))
      .optional(),
    stack: z.string().min(1).max(400).optional(),
  })
  .strict();

/** `/v1/requests`: open, read, list, review, revoke and reopen approval requests. */
export function requestRoutes(service: ApprovalService): Hono<ApiEnv> {
  const routes = new Hono<ApiEnv>();

  routes.post('/', limitBody(createLimit), async (c) => {
    const { request, created } = await service.createRequest(
      c.get('actor'),
      await readJson(c, createLimit),
    );
    return c.json(request, created ? 201 : 200);
  });

  routes.get('/', async (c) => {
    const query = parseInput(listQuerySchema, c.req.query());
    const filter: { status?: RequestStatus[]; stack?: string } = {};
    if (query.status) filter.status = query.status;
    if (query.stack) filter.stack = query.stack;
    return c.json({ requests: await service.listRequests(filter) });
  });

  routes.get('/:id', async (c) => c.json(await service.getRequest(c.req.param('id'))));

  routes.post('/:id/reviews', limitBody(decisionLimit), async (c) =>
    c.json(
      await service.review(c.get('actor'), c.req.param('id'), await readJson(c, decisionLimit)),
    ),
  );

  routes.post('/:id/revoke', limitBody(decisionLimit), async (c) => {
    const body = await readJson(c, decisionLimit, {});
    return c.json(await service.revoke(c.get('actor'), c.req.param('id'), body));
  });

  routes.post('/:id/reopen', limitBody(decisionLimit), async (c) => {
    const body = await readJson(c, decisionLimit, {});
    return c.json(await service.reopen(c.get('actor'), c.req.param('id'), body));
  });

  return routes;
}
