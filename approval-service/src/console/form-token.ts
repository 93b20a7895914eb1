import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** 256 random bits, URL-safe. */
export function randomToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Constant-time equality of two tokens; false for a missing one. */
export function tokensEqual(expected: string, given: unknown): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(given, 'utf8');
  // Compare equal-length buffers only; the length of a random token is no secret.
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Form tokens for the login form, before any session exists: the browser holds a random
 * nonce in a cookie, the form carries its HMAC under a key that lives only in this process,
 * unless replicas share one (`key`, kept in PostgreSQL) so that any of them takes the form.
 */
export class LoginTokens {
  readonly #key: Buffer;

  constructor(key?: Buffer) {
    this.#key = key ?? randomBytes(32);
  }

  newNonce(): string {
    return randomToken();
  }

  tokenFor(nonce: string): string {
    return createHmac('sha256', this.#key).update(nonce).digest('base64url');
  }

  verify(nonce: string | undefined, given: unknown): boolean {
    if (!nonce) return false;
    return tokensEqual(this.tokenFor(nonce), given);
  }
}
