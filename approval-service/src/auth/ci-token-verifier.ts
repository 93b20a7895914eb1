import {
  createRemoteJWKSet,
  decodeJwt,
  decodeProtectedHeader,
  errors,
  jwtVerify,
  type JWTPayload,
} from 'jose';
import {
  ClearanceError,
  matchesGlob,
  type Clock,
  type ErrorCode,
  type PipelineIdentity,
} from '@clearance/client';
import {
  defaultJwksUri,
  type CiIdentityConfig,
  type CiIssuerConfig,
} from '../config/ci-identity-schema.js';
import type { Actor } from '../domain/model.js';

/** Signature algorithms GitHub and GitLab sign ID tokens with; `none` and HMAC never pass. */
const algorithms = ['RS256', 'RS384', 'RS512', 'ES256', 'ES384', 'PS256'];

/** Whether a bearer token has the shape of a JWT (three base64url parts), not an API token. */
export function looksLikeJwt(token: string): boolean {
  return /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/.test(token);
}

function refused(code: ErrorCode, why: string): ClearanceError {
  return new ClearanceError(code, `the CI OIDC token is refused: ${why}`);
}

function text(payload: JWTPayload, claim: string): string {
  const value = payload[claim];
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '';
}

/** The pipeline a verified token names, by the claims of its CI system. */
export function pipelineOf(
  issuer: CiIssuerConfig,
  payload: JWTPayload,
): Omit<PipelineIdentity, 'user'> {
  if (issuer.kind === 'github') {
    const repository = text(payload, 'repository');
    return {
      issuer: issuer.name,
      repository,
      workflow: text(payload, 'workflow'),
      runUrl: `https://github.com/${repository}/actions/runs/${text(payload, 'run_id')}`,
      ref: text(payload, 'ref'),
      commit: text(payload, 'sha'),
      triggeredBy: text(payload, 'actor'),
    };
  }
  const repository = text(payload, 'project_path');
  const server = issuer.issuer.replace(/\/+$/, '');
  return {
    issuer: issuer.name,
    repository,
    workflow: `pipeline ${text(payload, 'pipeline_id')} (${text(payload, 'pipeline_source')})`,
    runUrl: `${server}/${repository}/-/pipelines/${text(payload, 'pipeline_id')}`,
    ref: text(payload, 'ref'),
    commit: text(payload, 'sha'),
    triggeredBy: text(payload, 'user_login'),
  };
}

/** The first condition of the issuer that the token's claims fail, if any. */
function failedCondition(issuer: CiIssuerConfig, payload: JWTPayload): string | undefined {
  for (const [claim, expected] of Object.entries(issuer.conditions)) {
    const value = text(payload, claim);
    const allowed = Array.isArray(expected) ? expected : [expected];
    if (value === '' || !allowed.some((pattern) => matchesGlob(value, pattern))) {
      return `${claim} is "${value}", expected ${allowed.map((a) => `"${a}"`).join(' or ')}`;
    }
  }
  return undefined;
}

/**
 * Verifies CI OIDC ID tokens against the trusted issuers of the config (jose, each issuer's
 * JWKS fetched once and cached, refetched for an unknown `kid`): issuer, signature, audience,
 * expiry, then the issuer's claim conditions. Each refusal has its own code: ERR_OIDC_UNSIGNED,
 * ERR_OIDC_EXPIRED, ERR_OIDC_AUDIENCE, ERR_OIDC_CLAIM_MISMATCH, else ERR_OIDC_INVALID.
 */
export class CiTokenVerifier {
  readonly #issuers: readonly CiIssuerConfig[];
  readonly #userIds: ReadonlySet<string>;
  readonly #clock: Clock;
  readonly #keys = new Map<string, ReturnType<typeof createRemoteJWKSet>>();

  constructor(config: CiIdentityConfig, userIds: Iterable<string>, clock: Clock) {
    this.#issuers = config.issuers;
    this.#userIds = new Set(userIds);
    this.#clock = clock;
  }

  #keysOf(issuer: CiIssuerConfig): ReturnType<typeof createRemoteJWKSet> {
    let keys = this.#keys.get(issuer.name);
    if (!keys) {
      keys = createRemoteJWKSet(new URL(issuer.jwksUri ?? defaultJwksUri(issuer)));
      this.#keys.set(issuer.name, keys);
    }
    return keys;
  }

  /** The Clearance user a CI login maps to: the issuer's `logins` map, else a user of that id. */
  #userOf(issuer: CiIssuerConfig, login: string): string | undefined {
    if (login === '') return undefined;
    return issuer.logins[login] ?? (this.#userIds.has(login) ? login : undefined);
  }

  async verify(token: string): Promise<{ actor: Actor; pipeline: PipelineIdentity }> {
    let iss: string | undefined;
    try {
      const header = decodeProtectedHeader(token);
      if (header.alg === undefined || header.alg.toLowerCase() === 'none') {
        throw refused('ERR_OIDC_UNSIGNED', 'it is not signed (alg none)');
      }
      iss = decodeJwt(token).iss;
    } catch (err) {
      if (err instanceof ClearanceError) throw err;
      throw refused('ERR_OIDC_INVALID', 'it is not a well-formed JWT');
    }
    const issuer = this.#issuers.find(
      (i) => i.issuer.replace(/\/+$/, '') === iss?.replace(/\/+$/, ''),
    );
    if (!issuer) throw refused('ERR_OIDC_INVALID', `its issuer "${iss ?? ''}" is not trusted`);
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, this.#keysOf(issuer), {
        issuer: iss ?? issuer.issuer,
        audience: issuer.audience,
        algorithms,
        currentDate: this.#clock.now(),
        clockTolerance: 30,
      }));
    } catch (err) {
      if (err instanceof errors.JWTExpired) throw refused('ERR_OIDC_EXPIRED', 'it has expired');
      if (err instanceof errors.JWTClaimValidationFailed && err.claim === 'aud') {
        throw refused('ERR_OIDC_AUDIENCE', `it is not meant for the audience "${issuer.audience}"`);
      }
      throw refused('ERR_OIDC_INVALID', err instanceof Error ? err.message : 'it does not verify');
    }
    const failed = failedCondition(issuer, payload);
    if (failed) throw refused('ERR_OIDC_CLAIM_MISMATCH', failed);
    const base = pipelineOf(issuer, payload);
    const user = this.#userOf(issuer, base.triggeredBy);
    const pipeline: PipelineIdentity = user === undefined ? base : { ...base, user };
    const actor: Actor = {
      id: `${issuer.name}:${base.repository}`,
      displayName: `${base.repository} (${base.workflow})`,
      groups: [...issuer.groups],
      pipeline,
    };
    return { actor, pipeline };
  }
}
