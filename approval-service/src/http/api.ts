import { Hono } from 'hono';
import type { ApprovalService } from '../service/approval-service.js';
import { auditRoutes } from './audit-routes.js';
import { bearerAuth, type ApiEnv } from './bearer-auth.js';
import { errorResponse, handleError } from './error-response.js';
import { requestRoutes } from './request-routes.js';
import { runRoutes } from './run-routes.js';

/**
 * The JSON API under `/v1`: bearer-authenticated, errors as `{error: {code, message}}`. Each
 * route limits its body (`limitBody`) and reads it with `readJson`, at the size limit of its
 * endpoint (`endpointLimits` of the shared client).
 */
export function apiRoutes(service: ApprovalService, log: (line: string) => void): Hono<ApiEnv> {
  const api = new Hono<ApiEnv>();
  api.onError(handleError(log));
  api.use('*', bearerAuth(service));
  api.route('/requests', requestRoutes(service));
  api.route('/', runRoutes(service));
  api.route('/audit', auditRoutes(service));
  api.notFound((c) =>
    errorResponse(c, 'ERR_NOT_FOUND', `no API route ${c.req.method} ${c.req.path}`),
  );
  return api;
}
