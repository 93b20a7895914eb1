import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import {
  isClearanceError,
  type ErrorBody,
  type ErrorCode,
  type RunContext,
} from '@clearance/client';

/** The one map from error codes to HTTP status codes. */
export const statusOf: Record<ErrorCode, ContentfulStatusCode> = {
  ERR_BAD_REQUEST: 400,
  ERR_VALIDATION: 400,
  ERR_INPUT_LIMIT: 400,
  ERR_FINGERPRINT_MISMATCH: 400,
  ERR_DURATION_TOO_LONG: 400,
  ERR_PAYLOAD_TOO_LARGE: 413,
  ERR_UNAUTHENTICATED: 401,
  ERR_FORBIDDEN: 403,
  ERR_SELF_REVIEW: 403,
  ERR_NOT_ELIGIBLE: 403,
  ERR_REQUESTER_NOT_ALLOWED: 403,
  ERR_OUTSIDE_WINDOW: 403,
  ERR_INSUFFICIENT_APPROVALS: 403,
  ERR_FROZEN: 403,
  ERR_CONDITION_FAILED: 403,
  ERR_BREAK_GLASS_NOT_ALLOWED: 403,
  ERR_OIDC_UNSIGNED: 401,
  ERR_OIDC_EXPIRED: 401,
  ERR_OIDC_AUDIENCE: 401,
  ERR_OIDC_CLAIM_MISMATCH: 401,
  ERR_OIDC_INVALID: 401,
  ERR_NOT_FOUND: 404,
  ERR_CONFLICT: 409,
  ERR_ALREADY_VOTED: 409,
  ERR_ALREADY_DECIDED: 409,
  ERR_DENIED: 409,
  ERR_REQUEST_EXPIRED: 409,
  ERR_RATE_LIMITED: 429,
  ERR_TOKEN_INVALID: 400,
  ERR_TOKEN_EXPIRED: 400,
  ERR_TOKEN_NOT_YET_VALID: 400,
  ERR_TOKEN_MISMATCH: 400,
  ERR_TOKEN_REVOKED: 400,
  ERR_TOKEN_KEY_NOT_PINNED: 400,
  ERR_TOKEN_ALG_NOT_ALLOWED: 400,
  ERR_TOKEN_EMBEDDED_KEY: 400,
  ERR_CONFIG: 500,
  ERR_INSECURE_URL: 500,
  ERR_STORE: 503,
  ERR_STORE_LOCKED: 503,
  ERR_STORE_CORRUPT: 500,
  ERR_AUDIT_CHECKPOINT_INVALID: 500,
  ERR_UNREACHABLE: 502,
  ERR_TIMEOUT: 504,
  ERR_BAD_RESPONSE: 502,
  ERR_INTERNAL: 500,
};

/** A JSON error response `{error: {code, message}}` with the code's status. */
export function errorResponse(c: Context, code: ErrorCode, message: string): Response {
  const body: ErrorBody = { error: { code, message } };
  return c.json(body, statusOf[code]);
}

/** ` (run "…", preview)` when the call named its run, for the log. */
function runOf(c: Context): string {
  const run = c.get('run') as RunContext | undefined;
  return run ? ` (run ${JSON.stringify(run.id)}, ${run.dryRun ? 'preview' : 'update'})` : '';
}

/**
 * Turns anything thrown in a handler into the JSON error answer; unexpected errors say nothing
 * inside, and are logged with the run the call came from when it said.
 */
export function handleError(log: (line: string) => void) {
  return (err: Error, c: Context): Response => {
    if (isClearanceError(err)) return errorResponse(c, err.code, err.message);
    if (err instanceof HTTPException && err.status === 413) {
      return errorResponse(c, 'ERR_PAYLOAD_TOO_LARGE', 'the request body is too large');
    }
    if (err instanceof HTTPException && err.status < 500) {
      return errorResponse(c, 'ERR_BAD_REQUEST', err.message || 'bad request');
    }
    log(`internal error on ${c.req.method} ${c.req.path}${runOf(c)}: ${err.stack ?? err.message}`);
    return errorResponse(c, 'ERR_INTERNAL', 'internal error');
  };
}
