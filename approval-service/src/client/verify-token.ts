import { errors as joseErrors, jwtVerify, type JWTVerifyGetKey } from 'jose';
import type { Clock } from './clock.js';
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
  minApprovers?: number;
}

/**
 * Verifies an approval token: signature against the given keys, pinned typ/iss/aud/alg,
 * not expired and not before its nbf, bound to exactly `expected`, inside its window.
 * Throws a ClearanceError with a stable code; revocation is the caller's (online) check.
 */
export async function verifyApprovalToken(
  token: string,
  keys: JWTVerifyGetKey,
  expected: ApprovalBinding,
  options: VerifyOptions,
): Promise<ApprovalClaims> {
  const now = options.clock.now();
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
    if (err instanceof joseErrors.JWTExpired) {
      throw new ClearanceError('ERR_TOKEN_EXPIRED', 'the approval token has expired');
    }
    if (err instanceof joseErrors.JWTClaimValidationFailed && err.claim === 'nbf') {
      throw new ClearanceError('ERR_TOKEN_NOT_YET_VALID', 'the approval token is not valid yet');
    }
    const why = err instanceof Error ? err.message : String(err);
    throw new ClearanceError('ERR_TOKEN_INVALID', `the approval token is invalid: ${why}`);
  }
  const parsed = approvalClaimsSchema.safeParse(payload);
  if (!parsed.success) {
    throw new ClearanceError('ERR_TOKEN_INVALID', 'the approval token has malformed claims');
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
  if (claims.window && !isInWindow(claims.window, now)) {
    throw new ClearanceError(
      'ERR_OUTSIDE_WINDOW',
      `the approval only holds inside its window (${describeWindow(claims.window)})`,
    );
  }
  const min = options.minApprovers ?? 0;
  if (new Set(claims.approvers).size < min) {
    throw new ClearanceError(
      'ERR_INSUFFICIENT_APPROVALS',
      `the approval has ${claims.approvers.length} approver(s); this pack requires ${min}`,
    );
  }
  return claims;
}
