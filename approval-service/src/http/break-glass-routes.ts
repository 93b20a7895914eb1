import { Hono } from 'hono';
import {
  breakGlassBodySchema,
  breakGlassReviewBodySchema,
  endpointLimits,
} from '@clearance/client';
import type { BreakGlass } from '../service/break-glass.js';
import type { ApiEnv } from './bearer-auth.js';
import { jsonBody } from './json-body.js';
import { validInput } from './valid-input.js';

const decisionLimit = endpointLimits.decision.maxBodyBytes;

/**
 * Break-glass: `POST /v1/requests/:id/break-glass` approves at once, `POST
 * /v1/requests/:id/break-glass/review` acknowledges or flags it afterwards, and `GET
 * /v1/break-glass` lists those that still need review.
 */
export function breakGlassRoutes(glass: BreakGlass): Hono<ApiEnv> {
  const routes = new Hono<ApiEnv>();

  routes.post(
    '/requests/:id/break-glass',
    jsonBody(decisionLimit),
    validInput('json', breakGlassBodySchema),
    async (c) =>
      c.json(await glass.breakGlass(c.get('actor'), c.req.param('id'), c.req.valid('json'))),
  );

  routes.post(
    '/requests/:id/break-glass/review',
    jsonBody(decisionLimit),
    validInput('json', breakGlassReviewBodySchema),
    async (c) => c.json(await glass.review(c.get('actor'), c.req.param('id'), c.req.valid('json'))),
  );

  routes.get('/break-glass', async (c) => c.json({ needsReview: await glass.needingReview() }));

  return routes;
}
