import type { ReportViolation } from '@pulumi/policy';
import type { Verdict } from './verdict.js';

/** The object form of a violation that `@pulumi/policy` (server.js) accepts besides a string. */
interface ViolationObject {
  /** The policy the violation is reported under, when not the reporting policy itself. */
  name?: string;
  message: string;
  urn?: string;
  enforcementLevel?: 'advisory';
}

/**
 * Reports a verdict. Mandatory reports take the policy's configured enforcement level (so a
 * policy configured as advisory stays advisory); advisory reports are always advisory, which
 * only the object form of `reportViolation` can express.
 */
export function reportVerdict(
  reportViolation: ReportViolation,
  description: string,
  verdict: Verdict,
  urn?: string,
  policyName?: string,
): void {
  if (verdict.level === 'pass') return;
  const violation: ViolationObject = {
    ...(policyName === undefined ? {} : { name: policyName }),
    message: `${description}\n${verdict.message}`,
    ...(urn === undefined ? {} : { urn }),
    ...(verdict.level === 'advisory' ? { enforcementLevel: 'advisory' as const } : {}),
  };
  (reportViolation as unknown as (v: ViolationObject) => void)(violation);
}
