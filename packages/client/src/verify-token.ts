import {
  decodeProtectedHeader,
  errors as joseErrors,
  jwtVerify,
  type JWTVerifyGetKey,
  type ProtectedHeaderParameters,
} from 'jose';
import type { Clock } from './clock.js';
import { assertContextHolds, type ConditionVerdict, type FreezePeriod } from './context-claims.js';
import { ClearanceError } from './errors.js';
import {
  APPROVAL_TOKEN_ALG,
  APPROVAL_TOKEN_AUDIENCE,
  APPROVAL_TOKEN_ISSUER,
  APPROVAL_TOKEN_TYP,
  approvalClaimsSchema,
  type ApprovalBinding,
  type ApprovalClaims,
} from './token-claims.js';
import { describeWindow, isInWindow } from './window.js';

export interface VerifyOptions {
  clock: Clock;
  /** The pack may demand more approvers than the service required, never fewer. */
  minApprovers?: number | undefined;
  /**
   * Online: the request ids the service lists as active. A token whose request is not among
   * them was revoked (or has lapsed) and is refused with ERR_TOKEN_REVOKED.
   */
  activeRequestIds?: ReadonlySet<string> | undefined;
  /**
   * Online: the service's current verdicts on status conditions (from the approvals answer).
   * Without them, a token that requires conditions at deploy time is refused.
   */
  conditionVerdicts?: ReadonlyMap<string, ConditionVerdict> | undefined;
  /** Online: the freezes the service says are on now over the stack. */
  announcedFreezes?: readonly FreezePeriod[] | undefined;
}

/**
 * Why a token is ERR_TOKEN_INVALID, in `details.reason` (as stable as the codes): its signature
 * does not verify (a foreign key, a tampered token), no key has its `kid`, a pinned claim or
 * header is wrong (`details.claim`: iss, aud, typ, or missing), or it is no JWT at all.
 */
export type TokenInvalidReason = 'signature' | 'unknown-key' | 'claim' | 'malformed';

/** Header parameters that bring their own key: never trusted, whoever signed. */
const embeddedKeyHeaders = ['jwk', 'jku', 'x5c', 'x5u'] as const;

function headerOf(token: string): ProtectedHeaderParameters | undefined {
  try {
    return decodeProtectedHeader(token);
  } catch {
    return undefined;
  }
}

function expired(): ClearanceError {
  return new ClearanceError('ERR_TOKEN_EXPIRED', 'the approval token has expired');
}

function invalid(why: string, reason: TokenInvalidReason, claim?: string): ClearanceError {
  const details = claim === undefined ? { reason } : { reason, claim };
  return new ClearanceError('ERR_TOKEN_INVALID', `the approval token is invalid: ${why}`, details);
}

/**
 * Throws why verified claims do not hold at the clock's now: past their expiry, outside their
 * window, in a change freeze, a deploy-time condition not holding, no longer active at the service (online), or with fewer distinct approvers than the
 * pack demands. What can change while a run lasts, checked again at each use of a token.
 */
export function assertApprovalHolds(claims: ApprovalClaims, options: VerifyOptions): void {
  holdsAt(claims, options.clock.now(), options);
}

function holdsAt(claims: ApprovalClaims, now: Date, options: VerifyOptions): void {
  if (claims.exp * 1000 <= now.getTime()) throw expired();
  if (claims.window && !isInWindow(claims.window, now)) {
    throw new ClearanceError(
      'ERR_OUTSIDE_WINDOW',
      `the approval only holds inside its window (${describeWindow(claims.window)})`,
    );
  }
  if (options.activeRequestIds && !options.activeRequestIds.has(claims.rid)) {
    throw new ClearanceError(
      'ERR_TOKEN_REVOKED',
      `approval ${claims.rid} is no longer active at the service (revoked or expired)`,
    );
  }
  assertContextHolds(claims, now, options.conditionVerdicts, options.announcedFreezes);
  const min = options.minApprovers ?? 0;
  const approvers = new Set(claims.approvers).size;
  if (approvers < min) {
    throw new ClearanceError(
      'ERR_INSUFFICIENT_APPROVALS',
      `the approval has ${approvers} approver(s); this pack requires ${min}`,
    );
  }
}

/**
 * Verifies an approval token: signature against the given keys (never a key the token brings),
 * pinned typ/iss/aud/alg, not expired and not before its nbf, bound to exactly `expected`,
 * inside its window, and online still active. Throws a ClearanceError with a stable code.
 */
export async function verifyApprovalToken(
  token: string,
  keys: JWTVerifyGetKey,
  expected: ApprovalBinding,
  options: VerifyOptions,
): Promise<ApprovalClaims> {
  const claims = await verifyTokenBinding(token, keys, expected, options.clock);
  holdsAt(claims, options.clock.now(), options);
  return claims;
}

/**
 * The part of `verifyApprovalToken` that a token's use cannot change: signature, pinned
 * header and claims, expiry and nbf, and the binding. What holds only at the time of a use
 * (window, freezes, conditions, revocation, approvers) is `assertApprovalHolds`.
 */
export async function verifyTokenBinding(
  token: string,
  keys: JWTVerifyGetKey,
  expected: ApprovalBinding,
  clock: Clock,
): Promise<ApprovalClaims> {
  const now = clock.now();
  const header = headerOf(token);
  const embedded = embeddedKeyHeaders.filter((name) => header && Object.hasOwn(header, name));
  if (embedded.length > 0) {
    throw new ClearanceError(
      'ERR_TOKEN_EMBEDDED_KEY',
      `the approval token brings its own key (${embedded.join(', ')} header); only the service's keys are trusted`,
    );
  }
  let payload: unknown;
  try {
    ({ payload } = await jwtVerify(token, keys, {
      algorithms: [APPROVAL_TOKEN_ALG],
      typ: APPROVAL_TOKEN_TYP,
      issuer: APPROVAL_TOKEN_ISSUER,
      audience: APPROVAL_TOKEN_AUDIENCE,
      currentDate: now,
      requiredClaims: ['exp', 'nbf', 'iat', 'jti'],
    }));
  } catch (err) {
    // A refusal of the key resolver (an unpinned key, see trustedKeys) keeps its own code.
    if (err instanceof ClearanceError) throw err;
    if (err instanceof joseErrors.JWTExpired) throw expired();
    if (err instanceof joseErrors.JWTClaimValidationFailed && err.claim === 'nbf') {
      throw new ClearanceError('ERR_TOKEN_NOT_YET_VALID', 'the approval token is not valid yet');
    }
    if (err instanceof joseErrors.JOSEAlgNotAllowed) {
      const alg = typeof header?.alg === 'string' ? header.alg.slice(0, 20) : '?';
      throw new ClearanceError(
        'ERR_TOKEN_ALG_NOT_ALLOWED',
        `the approval token uses alg ${JSON.stringify(alg)}; only ${APPROVAL_TOKEN_ALG} is accepted`,
        { alg },
      );
    }
    const why = err instanceof Error ? err.message : String(err);
    if (err instanceof joseErrors.JWSSignatureVerificationFailed) throw invalid(why, 'signature');
    if (err instanceof joseErrors.JWKSNoMatchingKey) throw invalid(why, 'unknown-key');
    if (err instanceof joseErrors.JWTClaimValidationFailed) throw invalid(why, 'claim', err.claim);
    throw invalid(why, 'malformed');
  }
  const parsed = approvalClaimsSchema.safeParse(payload);
  if (!parsed.success) {
    throw new ClearanceError('ERR_TOKEN_INVALID', 'the approval token has malformed claims', {
      reason: 'malformed',
    });
  }
  const claims = parsed.data;
  for (const key of ['stack', 'urn', 'policy', 'fingerprint'] as const) {
    if (claims[key] !== expected[key]) {
      throw new ClearanceError(
        'ERR_TOKEN_MISMATCH',
        `the approval token is for another ${key === 'fingerprint' ? 'resource state' : key}`,
        { claim: key },
      );
    }
  }
  return claims;
}
