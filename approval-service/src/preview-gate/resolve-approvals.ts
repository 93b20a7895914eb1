import {
  ApprovalSet,
  type ApprovalBinding,
  type ApprovalLookup,
  type ApprovalsResponse,
  type CheckResult,
  type ClearanceClient,
  type Clock,
  type KeyPins,
  type RequestView,
  type RunContext,
} from '@clearance/client';
import { PREVIEW_GATE_POLICY } from './gated-types.js';
import type { GatedStep } from './gated-steps.js';

/** Where a gated step stands after asking the service. */
export type StepVerdict =
  | { step: GatedStep; status: 'approved'; requestId: string; expiresAt: string; token: string }
  | {
      step: GatedStep;
      status: 'pending';
      requestId: string;
      url: string;
      progress: string;
      created: boolean;
    }
  | {
      step: GatedStep;
      status: 'denied';
      requestId: string;
      url: string;
      deniedBy: string;
      reason: string;
    }
  | { step: GatedStep; status: 'invalid'; requestId: string; why: string }
  | { step: GatedStep; status: 'missing'; why: string };

export type GateClient = Pick<ClearanceClient, 'checks' | 'createRequest' | 'jwks'> &
  Partial<Pick<ClearanceClient, 'reportRun'>>;

export interface ResolveOptions {
  /** `org/project/stack` */
  stack: string;
  /** Why the change is made, shown to approvers. */
  reason?: string | undefined;
  run?: RunContext | undefined;
  clock: Clock;
  /** Pinned keys (CLEARANCE_JWKS, key thumbprints): when given, only these verify tokens. */
  pins?: KeyPins | undefined;
}

/** What approves a gated step: its state under the preview gate's policy, in `stack`. */
export function stepBinding(step: GatedStep, stack: string): ApprovalBinding {
  return { stack, urn: step.urn, policy: PREVIEW_GATE_POLICY, fingerprint: step.fingerprint };
}

/** The verdict on a step's approval: the set's answer on its token. */
function verdictOf(
  step: GatedStep,
  approval: { id: string; token: string; expiresAt: string },
  lookup: ApprovalLookup,
): StepVerdict {
  if (lookup.ok) {
    const { id, expiresAt, token } = approval;
    return { step, status: 'approved', requestId: id, expiresAt, token };
  }
  const why = lookup.refusals[0]?.error.message ?? 'the service lists no approval token for it';
  return { step, status: 'invalid', requestId: approval.id, why };
}

/** The approvals the service answered, with its keys (only the pinned ones, when given). */
async function heldApprovals(
  approved: ApprovalsResponse['approvals'],
  options: ResolveOptions,
  client: GateClient,
): Promise<ApprovalSet> {
  const keys = await client.jwks();
  return ApprovalSet.fromResponse({ approvals: approved, keys }, options);
}

/** The verdict of a step whose request is pending; undefined when the request is not pending. */
function pendingVerdict(
  step: GatedStep,
  view: RequestView,
  created: boolean,
): StepVerdict | undefined {
  if (view.status === 'pending') {
    return {
      step,
      status: 'pending',
      requestId: view.id,
      url: view.url,
      progress: view.progress.text,
      created,
    };
  }
  return undefined;
}

/**
 * Asks the service about every gated step in one call (`POST /v1/checks`); verifies the token
 * of each approval against the service's keys, or only against the pinned ones when given;
 * opens (or reuses) a request for each step that has none, or whose last one expired or was
 * revoked (`POST /v1/requests`). A denial stands.
 * Errors reaching the service propagate: the caller fails closed.
 */
export async function resolveApprovals(
  steps: GatedStep[],
  options: ResolveOptions,
  client: GateClient,
): Promise<StepVerdict[]> {
  if (steps.length === 0) return [];
  const items = steps.map((s) => ({
    urn: s.urn,
    policy: PREVIEW_GATE_POLICY,
    fingerprint: s.fingerprint,
  }));
  const { results } = await client.checks({
    stack: options.stack,
    items,
    ...(options.run ? { run: options.run } : {}),
  });
  const approved = results.flatMap((r) => (r.status === 'approved' ? [r] : []));
  // The keys are fetched once, and only when an approval is to be verified.
  let held: Promise<ApprovalSet> | undefined;
  const approvals = () => (held ??= heldApprovals(approved, options, client));
  const verdicts: StepVerdict[] = [];
  for (const step of steps) {
    const result: CheckResult | undefined = results.find(
      (r) =>
        r.urn === step.urn &&
        r.policy === PREVIEW_GATE_POLICY &&
        r.fingerprint === step.fingerprint,
    );
    const binding = stepBinding(step, options.stack);
    if (result?.status === 'approved') {
      verdicts.push(verdictOf(step, result, await (await approvals()).find(binding)));
    } else if (result?.status === 'pending') {
      verdicts.push({
        step,
        status: 'pending',
        requestId: result.id,
        url: result.url,
        progress: result.progress,
        created: false,
      });
    } else if (result?.status === 'denied') {
      const { id, url, deniedBy, reason } = result;
      verdicts.push({ step, status: 'denied', requestId: id, url, deniedBy, reason });
    } else {
      const view = await client.createRequest({
        stack: options.stack,
        urn: step.urn,
        type: step.type,
        policy: PREVIEW_GATE_POLICY,
        fingerprint: step.fingerprint,
        summary: step.summary,
        reason: options.reason ?? '',
        material: { ...step.material },
        ...(step.states ? { previewStates: step.states } : {}),
        ...(options.run ? { run: options.run } : {}),
      });
      const pending = pendingVerdict(step, view, true);
      if (pending) verdicts.push(pending);
      else if (view.status === 'approved' && view.token) {
        const granted = { id: view.id, token: view.token, expiresAt: view.expiresAt };
        const lookup = await (await approvals()).judge(view.token, binding);
        verdicts.push(verdictOf(step, granted, lookup));
      } else {
        verdicts.push({
          step,
          status: 'invalid',
          requestId: view.id,
          why: `the service answered with a ${view.status} request`,
        });
      }
    }
  }
  await reportBlocked(verdicts, options, client);
  return verdicts;
}

/**
 * Puts on record the requests found pending or denied that blocked this run (one it opened is on
 * record already), so that they carry its id for `clearance wait --run`. The verdicts stand if
 * this fails.
 */
async function reportBlocked(
  verdicts: readonly StepVerdict[],
  options: ResolveOptions,
  client: GateClient,
): Promise<void> {
  const blocked = verdicts.flatMap((v) =>
    (v.status === 'pending' && !v.created) || v.status === 'denied'
      ? [
          {
            urn: v.step.urn,
            policy: PREVIEW_GATE_POLICY,
            fingerprint: v.step.fingerprint,
            requestId: v.requestId,
          },
        ]
      : [],
  );
  if (!options.run || !client.reportRun || blocked.length === 0) return;
  try {
    await client.reportRun({ stack: options.stack, run: options.run, used: [], blocked });
  } catch {
    // The steps are blocked either way; only the tag is missing.
  }
}
