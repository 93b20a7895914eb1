import {
  envNames,
  type ApprovalBinding,
  type ApprovalClaims,
  type ApprovalLookup,
  type ApprovalSet,
  type HeldToken,
  type LookupOptions,
} from '@clearance/client';

export type Selection =
  | { ok: true; claims: ApprovalClaims }
  /** Why each candidate was turned down (empty when there was none). */
  | { ok: false; rejections: string[] };

function origin(held: HeldToken): string {
  return held.source === 'handed'
    ? `a token from ${envNames.approvalTokens}`
    : 'the service approval';
}

/** The set's answer as the gate reports it: each refusal named after where its token came from. */
function selectionOf(lookup: ApprovalLookup): Selection {
  if (lookup.ok) return { ok: true, claims: lookup.claims };
  return {
    ok: false,
    rejections: lookup.refusals.map((r) => `${origin(r.held)}: ${r.error.message}`),
  };
}

/**
 * Finds a held token that approves exactly this binding: signature, expiry, window, binding and
 * the pack's minimum of approvers; online, a handed token also needs its request to be listed
 * as active (so a revoked approval is refused). With `granted`, judges only that token, one
 * the service handed out since the run fetched its approvals.
 */
export async function selectApproval(
  held: ApprovalSet,
  binding: ApprovalBinding,
  options: LookupOptions,
  granted?: string,
): Promise<Selection> {
  const lookup =
    granted === undefined
      ? await held.find(binding, options)
      : await held.judge(granted, binding, options);
  return selectionOf(lookup);
}
