/** Stable error codes. Only the HTTP layer maps them to status codes. */
export const errorCodes = [
  'ERR_BAD_REQUEST',
  'ERR_VALIDATION',
  'ERR_INPUT_LIMIT',
  'ERR_FINGERPRINT_MISMATCH',
  'ERR_PAYLOAD_TOO_LARGE',
  'ERR_UNAUTHENTICATED',
  'ERR_FORBIDDEN',
  'ERR_SELF_REVIEW',
  'ERR_NOT_ELIGIBLE',
  'ERR_REQUESTER_NOT_ALLOWED',
  'ERR_OUTSIDE_WINDOW',
  'ERR_DURATION_TOO_LONG',
  'ERR_NOT_FOUND',
  'ERR_CONFLICT',
  'ERR_ALREADY_VOTED',
  'ERR_ALREADY_DECIDED',
  'ERR_DENIED',
  'ERR_REQUEST_EXPIRED',
  'ERR_RATE_LIMITED',
  'ERR_TOKEN_INVALID',
  'ERR_TOKEN_EXPIRED',
  'ERR_TOKEN_NOT_YET_VALID',
  'ERR_TOKEN_MISMATCH',
  'ERR_TOKEN_REVOKED',
  'ERR_TOKEN_KEY_NOT_PINNED',
  'ERR_TOKEN_ALG_NOT_ALLOWED',
  'ERR_TOKEN_EMBEDDED_KEY',
  'ERR_INSUFFICIENT_APPROVALS',
  /** A change freeze is on and the rule allows no break-glass. */
  'ERR_FROZEN',
  /** A status condition the rule requires does not hold, or could not be evaluated. */
  'ERR_CONDITION_FAILED',
  /** The request's rule allows no break-glass. */
  'ERR_BREAK_GLASS_NOT_ALLOWED',
  /** A CI OIDC ID token without a signature (`alg: none`). */
  'ERR_OIDC_UNSIGNED',
  /** A CI OIDC ID token past its expiry. */
  'ERR_OIDC_EXPIRED',
  /** A CI OIDC ID token for another audience than the trusted issuer's. */
  'ERR_OIDC_AUDIENCE',
  /** A CI OIDC ID token whose claims (repository, ref...) fail the issuer's conditions. */
  'ERR_OIDC_CLAIM_MISMATCH',
  /** A CI OIDC ID token from no trusted issuer, badly signed, or malformed. */
  'ERR_OIDC_INVALID',
  'ERR_CONFIG',
  'ERR_INSECURE_URL',
  'ERR_STORE',
  'ERR_STORE_LOCKED',
  'ERR_STORE_CORRUPT',
  'ERR_AUDIT_CHECKPOINT_INVALID',
  'ERR_UNREACHABLE',
  'ERR_TIMEOUT',
  /** The service answered with a body its schema refuses. */
  'ERR_BAD_RESPONSE',
  'ERR_INTERNAL',
] as const;

export type ErrorCode = (typeof errorCodes)[number];

/** The one base error of Clearance: a stable `code` plus a message meant for people. */
export class ClearanceError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'ClearanceError';
    this.code = code;
    this.details = details;
  }
}

export function isClearanceError(err: unknown, code?: ErrorCode): err is ClearanceError {
  return err instanceof ClearanceError && (code === undefined || err.code === code);
}
