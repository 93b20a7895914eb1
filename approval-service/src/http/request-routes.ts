import { Hono } from 'hono';
import { z } from 'zod';
import {
  createRequestBodySchema,
  endpointLimits,
  reopenBodySchema,
  reviewBodySchema,
  revokeBodySchema,
} from '@clearance/client';
import type { RequestLifecycle } from '../service/request-lifecycle.js';
import type { RequestFilter } from '../store/store.js';
import type { ApiEnv } from './bearer-auth.js';
import { jsonBody } from './json-body.js';
import { validInput } from './valid-input.js';

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
    run: z.string().min(1).max(200).optional(),
  })
  .strict()
  .transform(({ status, stack, run }) => {
    const filter: RequestFilter = {};
    if (status) filter.status = status;
    if (stack) filter.stack = stack;
    if (run) filter.run = run;
    return filter;
  });

/** `/v1/requests`: open, read, list, review, revoke and reopen approval requests. */
export function requestRoutes(requests: RequestLifecycle): Hono<ApiEnv> {
  const routes = new Hono<ApiEnv>();

  routes.post(
    '/',
    jsonBody(createLimit),
    validInput('json', createRequestBodySchema),
    async (c) => {
      const { request, created } = await requests.createRequest(
        c.get('actor'),
        c.req.valid('json'),
      );
      return c.json(request, created ? 201 : 200);
    },
  );

  routes.get('/', validInput('query', listQuerySchema), async (c) =>
    c.json({ requests: await requests.listRequests(c.req.valid('query')) }),
  );

  routes.get('/:id', async (c) => c.json(await requests.getRequest(c.req.param('id'))));

  routes.post(
    '/:id/reviews',
    jsonBody(decisionLimit),
    validInput('json', reviewBodySchema),
    async (c) =>
      c.json(await requests.review(c.get('actor'), c.req.param('id'), c.req.valid('json'))),
  );

  routes.post(
    '/:id/revoke',
    jsonBody(decisionLimit, { empty: {} }),
    validInput('json', revokeBodySchema),
    async (c) =>
      c.json(await requests.revoke(c.get('actor'), c.req.param('id'), c.req.valid('json'))),
  );

  routes.post(
    '/:id/reopen',
    jsonBody(decisionLimit, { empty: {} }),
    validInput('json', reopenBodySchema),
    async (c) =>
      c.json(await requests.reopen(c.get('actor'), c.req.param('id'), c.req.valid('json'))),
  );

  return routes;
}
