import type { MiddlewareHandler } from 'hono';
import type { ApiAuthFailure, ApiAuthThrottle } from '../auth/api-auth-throttle.js';
import { ClearanceError, type RunContext } from '@clearance/client';
import type { Actor } from '../domain/model.js';
import { socketAddress, type ConnectionAddress } from './connection-address.js';
import { requestHeader } from './node-request.js';

/** `run`: the run a call comes from, when it says, for the error log. */
export type ApiEnv = { Variables: { actor: Actor; run?: RunContext } };

/** What bearer authentication needs of the service. */
export interface BearerAuthService {
  authenticateToken(token: string): Actor | undefined;
  /** A CI pipeline's OIDC ID token (see `Authentication`); undefined when it is no candidate. */
  authenticateCiToken?(token: string): Promise<Actor> | undefined;
  readonly apiAuth: ApiAuthThrottle;
}

export interface BearerAuthOptions {
  /** Where the connection's peer address comes from (default: the Node socket). */
  connectionAddress?: ConnectionAddress;
}

const bearer = /^Bearer +([\x21-\x7e]+) *$/i;

async function quietly(audit: Promise<void>): Promise<void> {
  try {
    await audit;
  } catch {
    // Failing to audit must not turn a refusal into something else; the count is kept.
  }
}

/**
 * Authenticates API calls by bearer token against the configured token hashes, or as a CI
 * OIDC ID token from a trusted issuer (refused with its own ERR_OIDC_* code). A valid token
 * is always accepted: the limit applies to failures only, so that nobody's failures lock a
 * valid caller out. A missing or unknown token gets 401 ERR_UNAUTHENTICATED and counts against
 * the client address; once an address has failed too often it waits (exponential backoff),
 * and its failures meanwhile get 429 ERR_RATE_LIMITED with `Retry-After`. Both are audited,
 * coalesced per address, and never with what the caller presented.
 */
export function bearerAuth(
  service: BearerAuthService,
  options: BearerAuthOptions = {},
): MiddlewareHandler<ApiEnv> {
  const peer = options.connectionAddress ?? socketAddress;
  const throttle = service.apiAuth;
  return async (c, next) => {
    const header = requestHeader(c, 'authorization');
    const token = header === undefined ? undefined : bearer.exec(header)?.[1];
    let actor = token === undefined ? undefined : service.authenticateToken(token);
    let ciRefusal: unknown;
    const ci = actor || token === undefined ? undefined : service.authenticateCiToken?.(token);
    if (ci) {
      try {
        actor = await ci;
      } catch (err) {
        ciRefusal = err;
      }
    }
    if (actor) {
      c.set('actor', actor);
      await next();
      return;
    }
    const address = throttle.addressOf({
      connection: peer(c),
      forwardedFor: requestHeader(c, 'x-forwarded-for'),
    });
    const wait = throttle.retryAfterSeconds(address);
    if (wait > 0) {
      await quietly(throttle.refused(address));
      c.header('Retry-After', String(wait));
      throw new ClearanceError(
        'ERR_RATE_LIMITED',
        `too many failed authentications from this address; retry in ${wait} s`,
      );
    }
    const reason: Exclude<ApiAuthFailure, 'rate limited'> =
      header === undefined
        ? 'no bearer token'
        : token === undefined
          ? 'malformed authorization header'
          : ci
            ? 'refused CI OIDC token'
            : 'unknown API token';
    await quietly(throttle.failed(address, reason));
    c.header('WWW-Authenticate', 'Bearer realm="clearance"');
    if (ciRefusal instanceof ClearanceError) throw ciRefusal;
    throw new ClearanceError(
      'ERR_UNAUTHENTICATED',
      'a valid API token is required (Authorization: Bearer <token>)',
    );
  };
}
