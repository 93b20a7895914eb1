import type { ApprovalBinding, ApprovalClaims, Clock } from '@clearance/client';
import { HANDED_TOKENS_ENV } from './handed-tokens.js';
import type { Candidate, HeldApprovals } from './held-approvals.js';
import { stillValid } from './verified-tokens.js';

export type Selection =
  | { ok: true; claims: ApprovalClaims }
  /** Why each candidate was turned down (empty when there was none). */
  | { ok: false; rejections: string[] };

export interface SelectionOptions {
  clock: Clock;
  minApprovers?: number;
}

function origin(c: Candidate): string {
  return c.source === 'handed' ? `a token from ${HANDED_TOKENS_ENV}` : 'the service approval';
}

/**
 * Finds a candidate token that verifies for exactly this binding: signature, expiry, window,
 * binding and the pack's minimum of approvers. Online, a handed token also needs its request
 * to be listed as active by the service (so a revoked approval is refused).
 */
export async function selectApproval(
  held: HeldApprovals,
  binding: ApprovalBinding,
  key: string,
  options: SelectionOptions,
): Promise<Selection> {
  const rejections: string[] = [];
  for (const candidate of held.candidates(key)) {
    let claims: ApprovalClaims;
    try {
      claims = await held.tokens.verify(candidate.token, binding);
    } catch (err) {
      rejections.push(`${origin(candidate)}: ${err instanceof Error ? err.message : String(err)}`);
      continue;
    }
    const invalid = stillValid(claims, options.clock.now(), options.minApprovers);
    if (invalid) {
      rejections.push(`${origin(candidate)}: ${invalid}`);
      continue;
    }
    if (candidate.source === 'handed' && held.activeIds && !held.activeIds.has(claims.rid)) {
      rejections.push(
        `${origin(candidate)}: approval ${claims.rid} is no longer active at the service (revoked or expired)`,
      );
      continue;
    }
    return { ok: true, claims };
  }
  return { ok: false, rejections };
}
