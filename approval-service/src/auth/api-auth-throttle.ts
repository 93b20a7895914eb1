import type { Clock } from '@clearance/client';
import type { AuditEvent } from '../domain/model.js';
import { clientAddressKey, type SeenAddress } from './client-address.js';
import { AuthFailureAudit } from './auth-failure-audit.js';
import { FailureLimiter } from './failure-limiter.js';

/** Why an API call was not authenticated, as its audit line says. */
export type ApiAuthFailure =
  | 'no bearer token'
  | 'malformed authorization header'
  | 'unknown API token'
  | 'refused CI OIDC token'
  | 'rate limited';

export interface ApiAuthSettings {
  /** Take the client address from `X-Forwarded-For` (see `clientAddressKey`). */
  trustProxy: boolean;
  /** Failed authentications a client address may make before it must wait (backoff). */
  failures: number;
  /** When an address's failures are forgotten, its longest wait, and the audit's coalescing. */
  windowSeconds: number;
}

export interface ApiAuthThrottleDeps {
  clock: Clock;
  settings: ApiAuthSettings;
  /** Appends audit events, in turn with the service's other writes. */
  write: (events: AuditEvent[]) => Promise<void>;
}

/**
 * The state behind API authentication: who is calling (by address), whether that address has
 * failed too often (it then waits, with a backoff, before a failure counts again), and the
 * coalesced audit of failures. Valid tokens are never limited.
 */
export class ApiAuthThrottle {
  readonly #trustProxy: boolean;
  readonly #limiter: FailureLimiter;
  readonly #audit: AuthFailureAudit;

  constructor(deps: ApiAuthThrottleDeps) {
    const { clock, settings, write } = deps;
    this.#trustProxy = settings.trustProxy;
    this.#limiter = new FailureLimiter(clock, settings);
    this.#audit = new AuthFailureAudit({
      clock,
      windowSeconds: settings.windowSeconds,
      write,
      via: 'api',
    });
  }

  /** The address a call is limited and audited under. */
  addressOf(seen: SeenAddress): string {
    return clientAddressKey(seen, this.#trustProxy);
  }

  /** Whole seconds the address must wait before a failure of it counts again; 0 if none. */
  retryAfterSeconds(address: string): number {
    return this.#limiter.retryAfterSeconds(address);
  }

  /** Counts a failed authentication (at once, before any await) and audits it. */
  failed(address: string, reason: Exclude<ApiAuthFailure, 'rate limited'>): Promise<void> {
    this.#limiter.recordFailure(address);
    return this.#audit.record(address, reason);
  }

  /** Audits a failure refused because its address is waiting (it does not extend the wait). */
  refused(address: string): Promise<void> {
    return this.#audit.record(address, 'rate limited');
  }

  /** Writes the failure counts that are due (all of them with `all`) and forgets idle addresses. */
  async flush(options: { all?: boolean } = {}): Promise<void> {
    this.#limiter.prune();
    await this.#audit.flush(options);
  }
}
