import { createLocalJWKSet, type JSONWebKeySet } from 'jose';
import { verifyApprovalToken, type Clock } from '@clearance/client';
import { PREVIEW_GATE_POLICY } from './gated-types.js';
import type { GatedStep } from './gated-steps.js';
import type { StepVerdict } from './resolve-approvals.js';

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
  const keys = createLocalJWKSet(jwks);
  const verdicts: StepVerdict[] = [];
  for (const step of steps) {
    const binding = {
      stack: options.stack,
      urn: step.urn,
      policy: PREVIEW_GATE_POLICY,
      fingerprint: step.fingerprint,
    };
    let verdict: StepVerdict = {
      step,
      status: 'missing',
      why: 'no approval token for it was handed in (offline: no request is opened)',
    };
    for (const token of tokens) {
      try {
        const claims = await verifyApprovalToken(token, keys, binding, { clock: options.clock });
        verdict = {
          step,
          status: 'approved',
          requestId: claims.rid,
          expiresAt: new Date(claims.exp * 1000).toISOString(),
          token,
        };
        break;
      } catch {
        // a token for another step, or one that does not hold: try the next
      }
    }
    verdicts.push(verdict);
  }
  return verdicts;
}
