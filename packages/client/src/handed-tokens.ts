import { decodeJwt } from 'jose';
import { bindingKey, type ApprovalBinding } from './token-claims.js';

/** A token handed in by CI, indexed by the binding it claims (not yet verified). */
export interface HandedToken {
  token: string;
  /** bindingKey of its claims; undefined when the token cannot even be decoded. */
  key: string | undefined;
}

/** The URN, policy and fingerprint a token claims, read without verifying it. */
export function claimedBinding(
  token: string,
): Pick<ApprovalBinding, 'urn' | 'policy' | 'fingerprint'> | undefined {
  try {
    const { urn, policy, fingerprint } = decodeJwt(token);
    if (typeof urn !== 'string' || typeof policy !== 'string' || typeof fingerprint !== 'string') {
      return undefined;
    }
    return { urn, policy, fingerprint };
  } catch {
    return undefined;
  }
}

/**
 * Splits a comma-separated list of approval tokens, as CI hands them in
 * (`CLEARANCE_APPROVAL_TOKENS`); blanks are ignored.
 */
export function splitApprovalTokens(text: string | undefined): string[] {
  if (!text) return [];
  return text
    .split(',')
    .map((t) => t.trim())
    .filter((t) => t.length > 0);
}

/** Indexes tokens by the binding they claim; their claims are only read, not trusted. */
export function handedTokens(tokens: readonly string[]): HandedToken[] {
  return tokens.map((token) => {
    const claimed = claimedBinding(token);
    return { token, key: claimed && bindingKey(claimed) };
  });
}

/** The tokens of a comma-separated list (`CLEARANCE_APPROVAL_TOKENS`), indexed. */
export function parseHandedTokens(text: string | undefined): HandedToken[] {
  return handedTokens(splitApprovalTokens(text));
}
