import type { JWTVerifyGetKey } from 'jose';
import type { Clock } from './clock.js';
import { bindingKey, type ApprovalBinding, type ApprovalClaims } from './token-claims.js';
import { verifyTokenBinding } from './verify-token.js';

function pairKey(token: string, binding: ApprovalBinding): string {
  return `${token}\n${binding.stack}\n${bindingKey(binding)}`;
}

/**
 * Verifies each (token, binding) pair once: signature, pinned header and claims, expiry and
 * binding, on first use. What can change afterwards (expiry, window, freezes, conditions) is
 * for the caller to check at each use (`assertApprovalHolds`), as are the options of that use.
 */
export class VerifiedTokens {
  readonly #keys: JWTVerifyGetKey;
  readonly #clock: Clock;
  readonly #results = new Map<string, Promise<ApprovalClaims>>();

  constructor(keys: JWTVerifyGetKey, clock: Clock) {
    this.#keys = keys;
    this.#clock = clock;
  }

  verify(token: string, binding: ApprovalBinding): Promise<ApprovalClaims> {
    const key = pairKey(token, binding);
    let result = this.#results.get(key);
    if (!result) {
      result = verifyTokenBinding(token, this.#keys, binding, this.#clock);
      // A rejection is read by whoever awaits the result, maybe later than it settles.
      result.catch(() => {});
      this.#results.set(key, result);
    }
    return result;
  }

  /**
   * Verifies the pair before anyone asks, so that `verify` later finds it done. A refusal is not
   * kept: the pair is verified again when asked, at the time of that use. Resolves once settled.
   */
  async verifyAhead(token: string, binding: ApprovalBinding): Promise<void> {
    const key = pairKey(token, binding);
    if (this.#results.has(key)) return;
    const result = this.verify(token, binding);
    try {
      await result;
    } catch {
      if (this.#results.get(key) === result) this.#results.delete(key);
    }
  }
}
