import type { ResourceValidationPolicy, StackValidationPolicy } from '@pulumi/policy';
import { buildPolicies, runRecordPolicy } from '../gate/build-policies.js';
import type { Gate } from '../gate/gate.js';
import type { SensitiveRule } from '../sensitive-rule.js';
import { packGate } from './pack-gate.js';

export interface ClearancePoliciesOptions {
  /** The gate to ask. Default: the pack process's one gate (see `packGate`); tests pass a double. */
  gate?: Gate;
}

/**
 * Turns sensitive rules into CrossGuard policies: one mandatory resource policy per rule, named
 * after it, whose findings need an approval, then the run record (`clearanceRunRecord`). Each
 * policy's config takes the rule's own keys; the gate's settings are the pack's
 * (configureClearance, `CLEARANCE_*`), which a policy's config may override for that policy.
 */
export function clearancePolicies(
  rules: readonly SensitiveRule[],
  options: ClearancePoliciesOptions = {},
): (ResourceValidationPolicy | StackValidationPolicy)[] {
  return buildPolicies(rules, options.gate ?? packGate());
}

/**
 * The stack policy that, at the end of each preview or update, tells the approval service which
 * approvals the run used: the exceptions it made. `clearancePolicies` includes it; a pack that
 * only wraps policies with `requireApproval` adds it once.
 */
export function clearanceRunRecord(options: ClearancePoliciesOptions = {}): StackValidationPolicy {
  return runRecordPolicy(options.gate ?? packGate());
}
