/**
 * `@clearance/policy-pack` as a library, for any CrossGuard pack: `requireApproval` makes a
 * policy approvable, `clearancePolicies` turns sensitive rules into gated policies, and the rules
 * Clearance ships are here to reuse. Importing it constructs no `PolicyPack`.
 */
export { requireApproval, type RequireApprovalOptions } from './require-approval.js';
export {
  clearancePolicies,
  clearanceRunRecord,
  type ClearancePoliciesOptions,
} from './clearance-policies.js';
export { configureClearance, packGate } from './pack-gate.js';
export type { Gate, GateRequest } from '../gate/gate.js';
export type { GateSettingsInput } from '../gate/gate-settings.js';
export type { Verdict } from '../gate/verdict.js';
export {
  UNKNOWN,
  appliesTo,
  containsUnknown,
  findingOf,
  readProp,
  resolveProps,
  resolveUnknowns,
  triAnd,
  triNot,
  triOr,
  withDefaults,
  type Finding,
  type Hit,
  type ResolvedProps,
  type ResourceInput,
  type SensitiveRule,
  type Tri,
  type Unknown,
} from '../sensitive-rule.js';
export { looksSecret, stableSet, wrapSecretLooking } from '../policies/support/values.js';
export { rules } from '../policies/index.js';
