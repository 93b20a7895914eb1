import {
  ApprovalSet,
  ClearanceClient,
  handedTokens,
  type ApprovalLookup,
  type ApprovalsResponse,
  type Clock,
  type ResourceTarget,
} from '@clearance/client';
import type { TemporarySettings } from './settings.js';

/** The resource whose approval is looked up. */
export type LookupTarget = ResourceTarget;

export type ApprovalState =
  | {
      active: true;
      requestId: string;
      policy: string;
      expiresAt: string;
      source: 'service' | 'token';
    }
  | { active: false; reason: string }
  /** The service could not say (unreachable, refused, a bad answer): nothing is known either way. */
  | { active: false; undetermined: true; reason: string };

export interface LookupDeps {
  clock: Clock;
  fetch?: typeof fetch | undefined;
}

function reasonOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** The approval set's answer for the resource, as the state of a temporary resource. */
function stateOf(lookup: ApprovalLookup, target: LookupTarget): ApprovalState {
  if (lookup.ok) {
    const { claims, held } = lookup;
    return {
      active: true,
      requestId: claims.rid,
      policy: claims.policy,
      expiresAt: new Date(claims.exp * 1000).toISOString(),
      source: held.source === 'service' ? 'service' : 'token',
    };
  }
  const last = lookup.refusals.at(-1);
  return {
    active: false,
    reason: last
      ? `the approval for ${target.urn} does not hold: ${last.error.message}`
      : `no approval is active for ${target.urn}`,
  };
}

async function fromService(
  url: string,
  target: LookupTarget,
  settings: TemporarySettings,
  deps: LookupDeps,
): Promise<ApprovalState> {
  let response: ApprovalsResponse;
  try {
    const client = new ClearanceClient({
      url,
      token: settings.token,
      timeoutMs: settings.timeoutMs,
      allowInsecureHttp: settings.allowInsecureHttp,
      fetch: deps.fetch,
    });
    response = await client.approvals(target.stack);
  } catch (err) {
    return {
      active: false,
      undetermined: true,
      reason: `the approval service could not be asked: ${reasonOf(err)}`,
    };
  }
  const pins = { jwks: settings.jwks, thumbprints: settings.keyThumbprints };
  let held: ApprovalSet;
  try {
    held = await ApprovalSet.fromResponse(response, { clock: deps.clock, pins });
  } catch (err) {
    return {
      active: false,
      undetermined: true,
      reason: `the service keys are unusable: ${reasonOf(err)}`,
    };
  }
  return stateOf(await held.findForResource(target), target);
}

/**
 * Whether a resource has an active approval. With a service configured, the service's list of
 * active approvals is the authority (so revocations count) and each token is verified against
 * its keys, or only against the pinned ones when `jwks` or `keyThumbprints` are set; without a
 * service, tokens handed in by CI are verified against pinned keys. A service that cannot be
 * asked (or answers with unusable keys) is `undetermined`: neither active nor known to be gone.
 * Anything else is "not active": a temporary resource stays out (fail closed).
 */
export async function findActiveApproval(
  target: LookupTarget,
  settings: TemporarySettings,
  deps: LookupDeps,
): Promise<ApprovalState> {
  if (settings.url) return fromService(settings.url, target, settings, deps);
  if (settings.approvalTokens.length > 0) {
    if (!settings.jwks) {
      return {
        active: false,
        reason:
          'approval tokens were handed in, but neither CLEARANCE_URL nor CLEARANCE_JWKS is set to verify them',
      };
    }
    let held: ApprovalSet;
    try {
      held = ApprovalSet.fromTokens(handedTokens(settings.approvalTokens), settings.jwks, deps);
    } catch (err) {
      return { active: false, reason: `the pinned keys are unusable: ${reasonOf(err)}` };
    }
    return stateOf(await held.findForResource(target), target);
  }
  return {
    active: false,
    reason: 'no approval service is configured (CLEARANCE_URL) and no approval token was handed in',
  };
}
