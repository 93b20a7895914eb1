import type { JWTVerifyGetKey } from 'jose';
import {
  trustedKeys,
  verifyApprovalToken,
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

export type GateClient = Pick<ClearanceClient, 'checks' | 'createRequest' | 'jwks'>;

export interface ResolveOptions {
  /** `org/project/stack` */
  stack: string;
  /** Why the change is made, shown to approvers. */
  reason?: string;
  run?: RunContext;
  clock: Clock;
  /** Pinned keys (CLEARANCE_JWKS, key thumbprints): when given, only these verify tokens. */
  pins?: KeyPins;
}

async function verified(
  step: GatedStep,
  approval: { id: string; token: string; expiresAt: string },
  keys: () => Promise<JWTVerifyGetKey>,
  options: ResolveOptions,
): Promise<StepVerdict> {
  const binding = {
    stack: options.stack,
    urn: step.urn,
    policy: PREVIEW_GATE_POLICY,
    fingerprint: step.fingerprint,
  };
  try {
    await verifyApprovalToken(approval.token, await keys(), binding, { clock: options.clock });
    return {
      step,
      status: 'approved',
      requestId: approval.id,
      expiresAt: approval.expiresAt,
      token: approval.token,
    };
  } catch (err) {
    return {
      step,
      status: 'invalid',
      requestId: approval.id,
      why: err instanceof Error ? err.message : String(err),
    };
  }
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
  let jwks: Promise<JWTVerifyGetKey> | undefined;
  const keys = () => (jwks ??= client.jwks().then((set) => trustedKeys(set, options.pins)));
  const verdicts: StepVerdict[] = [];
  for (const step of steps) {
    const result: CheckResult | undefined = results.find(
      (r) =>
        r.urn === step.urn &&
        r.policy === PREVIEW_GATE_POLICY &&
        r.fingerprint === step.fingerprint,
    );
    if (result?.status === 'approved') {
      verdicts.push(await verified(step, result, keys, options));
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
        ...(options.run ? { run: options.run } : {}),
      });
      const pending = pendingVerdict(step, view, true);
      if (pending) verdicts.push(pending);
      else if (view.status === 'approved' && view.token) {
        verdicts.push(
          await verified(
            step,
            { id: view.id, token: view.token, expiresAt: view.expiresAt },
            keys,
            options,
          ),
        );
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
  return verdicts;
}
