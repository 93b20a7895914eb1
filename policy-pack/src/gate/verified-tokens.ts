import type { JWTVerifyGetKey } from 'jose';
import {
  describeWindow,
  isInWindow,
  verifyApprovalToken,
  type ApprovalBinding,
  type ApprovalClaims,
  type Clock,
} from '@clearance/client';
import { bindingKey } from './gate-item.js';

/**
 * Verifies each (token, binding) pair once per run: signature, pinned header and claims, expiry
 * and binding. The service's approvals are verified as soon as they arrive, in parallel, so a
 * resource's check finds its result ready. What can change during the run (expiry, window) is
 * checked again at each use by `stillValid`, as is the pack's minimum of approvers.
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
      result = verifyApprovalToken(token, this.#keys, binding, { clock: this.#clock });
      // Rejections are read by whoever awaits the result; a prefetched one may never be.
      result.catch(() => {});
      this.#results.set(key, result);
    }
    return result;
  }
}

/** Why verified claims no longer hold now (undefined when they do). */
export function stillValid(
  claims: ApprovalClaims,
  now: Date,
  minApprovers = 0,
): string | undefined {
  if (claims.exp * 1000 <= now.getTime()) return 'the approval token has expired';
  if (claims.window && !isInWindow(claims.window, now)) {
    return `the approval only holds inside its window (${describeWindow(claims.window)})`;
  }
  const approvers = new Set(claims.approvers).size;
  if (approvers < minApprovers) {
    return `the approval has ${approvers} approver(s); this pack requires ${minApprovers}`;
  }
  return undefined;
}
