import type { JSONWebKeySet } from 'jose';
import {
  ClearanceError,
  isClearanceError,
  systemClock,
  type Clock,
  type KeyPins,
  type RunContext,
} from '@clearance/client';
import { allApproved, formatUnreachable, formatVerdicts } from './gate-report.js';
import { gatedSteps } from './gated-steps.js';
import { defaultGatedTypes } from './gated-types.js';
import { resolveOffline } from './offline-approvals.js';
import { parsePreviewDigest, previewErrors } from './preview-digest.js';
import { resolveApprovals, type GateClient, type StepVerdict } from './resolve-approvals.js';

export { PREVIEW_GATE_POLICY, defaultGatedTypes, isGatedType } from './gated-types.js';
export {
  gatedSteps,
  type GatedStep,
  type GateMaterial,
  type GatedOperation,
} from './gated-steps.js';
export {
  parsePreviewDigest,
  previewErrors,
  type PreviewDigest,
  type PreviewStep,
} from './preview-digest.js';
export { resolveApprovals, type GateClient, type StepVerdict } from './resolve-approvals.js';
export { resolveOffline } from './offline-approvals.js';
export { previewStack } from './preview-stack.js';

export interface PreviewGateOptions {
  /** `org/project/stack` the preview is of. */
  stack: string;
  /** Type globs to gate (default: stateful resources, see defaultGatedTypes). */
  types?: readonly string[];
  reason?: string | undefined;
  run?: RunContext | undefined;
  /** Verify handed-in tokens against pinned keys instead of asking the service. */
  offline?: { tokens: readonly string[]; jwks: JSONWebKeySet };
  /** Online: pinned keys; tokens the service hands out count only if signed by one of them. */
  pins?: KeyPins | undefined;
  clock?: Clock;
  /** Names the input in error messages, e.g. the file name. */
  source?: string;
}

export interface PreviewGateResult {
  /** 0 when every gated step is approved (or there is none), 1 otherwise. */
  code: 0 | 1;
  report: string;
  verdicts: StepVerdict[];
}

/**
 * Gates the deletes and replacements in `pulumi preview --json` output: each needs an approval
 * from the service under the `pulumi-delete-replace` policy. Fails closed: a failed preview,
 * an unreachable service or any step without a valid approval gives code 1. Throws
 * ERR_VALIDATION for input that is not a preview of `stack`.
 */
export async function runPreviewGate(
  text: string,
  options: PreviewGateOptions,
  client?: GateClient,
): Promise<PreviewGateResult> {
  const digest = parsePreviewDigest(text, options.source);
  const errors = previewErrors(digest);
  if (errors.length > 0) {
    throw new ClearanceError(
      'ERR_VALIDATION',
      `the preview itself failed, so its steps cannot be trusted:\n${errors.map((e) => `  ${e}`).join('\n')}`,
    );
  }
  const steps = gatedSteps(digest, options.stack, options.types ?? defaultGatedTypes);
  const clock = options.clock ?? systemClock;
  let verdicts: StepVerdict[];
  if (options.offline) {
    verdicts = await resolveOffline(steps, options.offline.tokens, options.offline.jwks, {
      stack: options.stack,
      clock,
    });
  } else {
    if (!client) throw new ClearanceError('ERR_CONFIG', 'no approval service client was given');
    try {
      verdicts = await resolveApprovals(
        steps,
        {
          stack: options.stack,
          clock,
          reason: options.reason,
          run: options.run,
          pins: options.pins,
        },
        client,
      );
    } catch (err) {
      if (!isClearanceError(err)) throw err;
      return {
        code: 1,
        report: formatUnreachable(steps, options.stack, `${err.message} [${err.code}]`),
        verdicts: [],
      };
    }
  }
  return {
    code: allApproved(verdicts) ? 0 : 1,
    report: formatVerdicts(verdicts, options.stack),
    verdicts,
  };
}
export { formatVerdicts } from './gate-report.js';
export { printAsPulumi } from './pulumi-json.js';
