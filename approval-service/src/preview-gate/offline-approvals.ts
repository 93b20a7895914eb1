import type { JSONWebKeySet } from 'jose';
import { ApprovalSet, handedTokens, type Clock } from '@clearance/client';
import type { GatedStep } from './gated-steps.js';
import { stepBinding, type StepVerdict } from './resolve-approvals.js';

/**
 * Offline mode: each step is approved only by a token handed in (CLEARANCE_APPROVAL_TOKENS)
 * that verifies against the pinned keys and is bound to exactly this step. Nothing is asked
 * of the service, so no request is opened and revocations are not seen.
 */
export async function resolveOffline(
  steps: GatedStep[],
  tokens: readonly string[],
  jwks: JSONWebKeySet,
  options: { stack: string; clock: Clock },
): Promise<StepVerdict[]> {
  const held = ApprovalSet.fromTokens(handedTokens(tokens), jwks, { clock: options.clock });
  const verdicts: StepVerdict[] = [];
  for (const step of steps) {
    const lookup = await held.find(stepBinding(step, options.stack));
    if (lookup.ok) {
      const { claims } = lookup;
      const expiresAt = new Date(claims.exp * 1000).toISOString();
      const { token } = lookup.held;
      verdicts.push({ step, status: 'approved', requestId: claims.rid, expiresAt, token });
    } else {
      const why = 'no approval token for it was handed in (offline: no request is opened)';
      verdicts.push({ step, status: 'missing', why });
    }
  }
  return verdicts;
}
