import type { JWTVerifyGetKey } from 'jose';
import type { Clock } from './clock.js';
import { bindingKey, type ApprovalBinding, type ApprovalClaims } from './token-claims.js';
import { verifyTokenBinding } from './verify-token.js';

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
    const key = `${token}\n${binding.stack}\n${bindingKey(binding)}`;
    let result = this.#results.get(key);
    if (!result) {
      result = verifyTokenBinding(token, this.#keys, binding, this.#clock);
      // A rejection is read by whoever awaits the result, maybe later than it settles.
      result.catch(() => {});
      this.#results.set(key, result);
    }
    return result;
  }
}
