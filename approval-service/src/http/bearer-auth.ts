import type { MiddlewareHandler } from 'hono';
import { ClearanceError } from '../client/index.js';
import type { Actor, ApprovalServiceApi } from '../service/approval-service.types.js';

export type ApiEnv = { Variables: { actor: Actor } };

const bearer = /^Bearer +([\x21-\x7e]+) *$/i;

function remoteAddress(env: unknown): string | undefined {
  const incoming = (env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)
    ?.incoming;
  return incoming?.socket?.remoteAddress;
}

/**
 * Authenticates API calls by bearer token against the configured token hashes. A missing or
 * unknown token is refused with ERR_UNAUTHENTICATED and audited (without the token).
 */
export function bearerAuth(service: ApprovalServiceApi): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    const header = c.req.header('authorization');
    const token = header === undefined ? undefined : bearer.exec(header)?.[1];
    const actor = token === undefined ? undefined : service.authenticateToken(token);
    if (!actor) {
      const reason =
        header === undefined
          ? 'no bearer token'
          : token === undefined
            ? 'malformed authorization header'
            : 'unknown API token';
      const data: Record<string, unknown> = { reason, method: c.req.method, path: c.req.path };
      const address = remoteAddress(c.env);
      if (address) data.address = address;
      try {
        await service.recordAuthFailure('api', data);
      } catch {
        // Failing to audit must not turn a refusal into something else.
      }
      c.header('WWW-Authenticate', 'Bearer realm="clearance"');
      throw new ClearanceError(
        'ERR_UNAUTHENTICATED',
        'a valid API token is required (Authorization: Bearer <token>)',
      );
    }
    c.set('actor', actor);
    await next();
  };
}
