import type { ApprovalState } from './approval-lookup.js';

/** What becomes of a temporary resource in this run. */
export type TemporaryDecision =
  | { include: true; status: 'approved'; expiresAt: string; requestId: string }
  | { include: true; status: 'requested'; reason: string }
  | { include: false; status: 'absent'; reason: string }
  | { include: false; status: 'undetermined'; reason: string };

/**
 * An active approval includes the resource. Without one, the resource is left out (so an
 * update removes it), unless the deployer asked for it: then it is included so that the
 * policy pack blocks the run and opens the approval request. When the service could not say,
 * nothing is decided: the run must fail and leave the resource as it is, since only a definite
 * expiry, revocation or absence of the approval removes it.
 */
export function decideTemporary(state: ApprovalState, requested: boolean): TemporaryDecision {
  if ('undetermined' in state)
    return { include: false, status: 'undetermined', reason: state.reason };
  if (state.active) {
    return {
      include: true,
      status: 'approved',
      expiresAt: state.expiresAt,
      requestId: state.requestId,
    };
  }
  if (requested) return { include: true, status: 'requested', reason: state.reason };
  return { include: false, status: 'absent', reason: state.reason };
}
