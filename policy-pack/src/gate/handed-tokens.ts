import { envNames } from '@clearance/client';
import { decodeJwt } from 'jose';
import { bindingKey } from './gate-item.js';

/** The variable through which CI hands approval tokens to the pack. */
export const HANDED_TOKENS_ENV = envNames.approvalTokens;

/** A token handed in by CI, indexed by what it claims to be bound to (not yet verified). */
export interface HandedToken {
  token: string;
  /** bindingKey of its claims; undefined when the token cannot even be decoded. */
  key: string | undefined;
}

function claimedKey(token: string): string | undefined {
  try {
    const claims = decodeJwt(token);
    const { urn, policy, fingerprint } = claims;
    if (typeof urn !== 'string' || typeof policy !== 'string' || typeof fingerprint !== 'string') {
      return undefined;
    }
    return bindingKey({ urn, policy, fingerprint });
  } catch {
    return undefined;
  }
}

/** Splits the comma-separated variable; blanks are ignored. Claims are only read to index the tokens. */
export function parseHandedTokens(text: string | undefined): HandedToken[] {
  if (!text) return [];
  return text
    .split(',')
    .map((t) => t.trim())
    .filter((t) => t.length > 0)
    .map((token) => ({ token, key: claimedKey(token) }));
}
