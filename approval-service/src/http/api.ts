import { Hono } from 'hono';
import type { Services } from '../service/services.js';
import { auditRoutes } from './audit-routes.js';
import { bearerAuth, type ApiEnv } from './bearer-auth.js';
import { breakGlassRoutes } from './break-glass-routes.js';
import { errorResponse, handleError } from './error-response.js';
import { requestRoutes } from './request-routes.js';
import { runRoutes } from './run-routes.js';

/**
 * The JSON API under `/v1`: bearer-authenticated, errors as `{error: {code, message}}`. Each
 * route takes the part of the service it needs, limits and checks its body (`jsonBody`, at the
 * size limit of its endpoint: `endpointLimits` of the shared client) and validates its input
 * (`validInput`), so that the service gets typed values.
 */
export function apiRoutes(services: Services, log: (line: string) => void): Hono<ApiEnv> {
  const api = new Hono<ApiEnv>();
  api.onError(handleError(log));
  api.use('*', bearerAuth(services.auth));
  api.route('/', breakGlassRoutes(services.breakGlass));
  api.route('/requests', requestRoutes(services.requests));
  api.route('/', runRoutes(services.runs));
  api.route('/audit', auditRoutes(services.audit));
  api.notFound((c) =>
    errorResponse(c, 'ERR_NOT_FOUND', `no API route ${c.req.method} ${c.req.path}`),
  );
  return api;
}
