import { ApiAuthThrottle } from '../auth/api-auth-throttle.js';
import { CiTokenVerifier, looksLikeJwt } from '../auth/ci-token-verifier.js';
import type { Actor } from '../domain/model.js';
import type { AuditAccess } from './audit-access.js';
import type { ServiceContext } from './service-context.js';
import { UserDirectory } from './user-directory.js';

/** Who is calling: the config's users by API token or console password, and failed attempts. */
export class Authentication {
  readonly #ctx: ServiceContext;
  readonly #audit: AuditAccess;
  readonly #users: UserDirectory;
  readonly #ciTokens: CiTokenVerifier | undefined;
  /** Limits and audits (coalesced per address) failed API authentications. */
  readonly apiAuth: ApiAuthThrottle;

  constructor(ctx: ServiceContext, audit: AuditAccess) {
    this.#ctx = ctx;
    this.#audit = audit;
    this.#users = new UserDirectory(ctx.config.users);
    const ci = ctx.config.ciIdentity;
    this.#ciTokens =
      ci &&
      new CiTokenVerifier(
        ci,
        ctx.config.users.map((u) => u.id),
        ctx.clock,
      );
    this.apiAuth = new ApiAuthThrottle({
      clock: ctx.clock,
      settings: { trustProxy: ctx.config.trustProxy, ...ctx.config.apiAuthLimit },
      write: (events) => audit.recordEvents(events),
    });
  }

  /** The user whose API token this is (compared by hash, in constant time per user). */
  authenticateToken(token: string): Actor | undefined {
    return this.#users.byApiToken(token);
  }

  /**
   * The CI pipeline whose OIDC ID token this is, when the config trusts CI issuers and the
   * token looks like a JWT; it throws the refusal's own code (ERR_OIDC_*). Undefined when the
   * token is no candidate.
   */
  authenticateCiToken(token: string): Promise<Actor> | undefined {
    if (!this.#ciTokens || !looksLikeJwt(token)) return undefined;
    return this.#ciTokens.verify(token).then(({ actor }) => actor);
  }

  /** Checks a console password (scrypt, constant time); undefined for an unknown user or a wrong password. */
  verifyPassword(userId: string, password: string): Promise<Actor | undefined> {
    return this.#users.byPassword(userId, password);
  }

  /** Records a failed authentication in the audit trail (no secret in it). */
  recordAuthFailure(subject: string, data: Record<string, unknown>): Promise<void> {
    const time = this.#ctx.clock.now().toISOString();
    return this.#audit.recordEvents([
      { time, actor: 'anonymous', action: 'auth.failed', subject, data },
    ]);
  }

  /**
   * Writes the coalesced counts of failed API authentications that are due; `all` writes every
   * pending count (at shutdown). The server calls it on its sweep.
   */
  flushAuthFailures(options: { all?: boolean } = {}): Promise<void> {
    return this.apiAuth.flush(options);
  }
}
