import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { ApprovalService } from '../service/approval-service.js';
import { auditRoutes } from './audit-routes.js';
import { bearerAuth, type ApiEnv } from './bearer-auth.js';
import { errorResponse, handleError } from './error-response.js';
import { requestRoutes } from './request-routes.js';
import { runRoutes } from './run-routes.js';

/** Largest body of an ordinary call. */
export const MAX_BODY_BYTES = 1024 * 1024;
/** Largest body of a whole-stack call (checks and run reports of thousands of resources). */
export const MAX_BULK_BODY_BYTES = 16 * 1024 * 1024;

function limit(maxSize: number) {
  return bodyLimit({
    maxSize,
    onError: (c) =>
      errorResponse(c, 'ERR_PAYLOAD_TOO_LARGE', `the request body exceeds ${maxSize} bytes`),
  });
}

/** The JSON API under `/v1`: bearer-authenticated, size-limited, errors as `{error: {code, message}}`. */
export function apiRoutes(service: ApprovalService, log: (line: string) => void): Hono<ApiEnv> {
  const api = new Hono<ApiEnv>();
  api.onError(handleError(log));
  api.use('/requests', limit(MAX_BODY_BYTES));
  api.use('/requests/*', limit(MAX_BODY_BYTES));
  api.use('/checks', limit(MAX_BULK_BODY_BYTES));
  api.use('/runs', limit(MAX_BULK_BODY_BYTES));
  api.use('*', bearerAuth(service));
  api.route('/requests', requestRoutes(service));
  api.route('/', runRoutes(service));
  api.route('/audit', auditRoutes(service));
  api.notFound((c) =>
    errorResponse(c, 'ERR_NOT_FOUND', `no API route ${c.req.method} ${c.req.path}`),
  );
  return api;
}
