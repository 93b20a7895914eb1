import type {
  ReportViolation,
  ResourceValidation,
  ResourceValidationArgs,
  ResourceValidationPolicy,
} from '@pulumi/policy';
import { onFirstResource } from '../gate/first-resource.js';
import type { Gate } from '../gate/gate.js';
import { gateFailedMessage } from '../gate/messages.js';
import { reportVerdict } from '../gate/report-verdict.js';
import { mandatory, type Verdict } from '../gate/verdict.js';
import { inputsFinding } from './inputs-finding.js';
import { packGate } from './pack-gate.js';

export interface RequireApprovalOptions {
  /** The gate to ask. Default: the pack process's one gate (see `packGate`); tests pass a double. */
  gate?: Gate;
}

/** A violation as the inner policy reported it, in either form `reportViolation` takes. */
interface Violation {
  message: string;
  urn?: string;
  enforcementLevel?: string;
}

type ViolationInput = string | (Partial<Violation> & { description?: string });

function asViolation(input: ViolationInput | undefined, urn: string | undefined): Violation {
  if (input !== null && typeof input === 'object') {
    const { message, description, enforcementLevel } = input;
    return {
      message: message ?? description ?? '',
      ...(input.urn === undefined ? {} : { urn: input.urn }),
      ...(enforcementLevel === undefined ? {} : { enforcementLevel }),
    };
  }
  return { message: input ?? '', ...(urn === undefined ? {} : { urn }) };
}

function validations(policy: ResourceValidationPolicy): ResourceValidation[] {
  const v = policy.validateResource;
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

/** Reports an inner violation unchanged, as the inner policy would have. */
function passOn(report: ReportViolation, violation: Violation): void {
  (report as unknown as (v: ViolationInput) => void)(violation);
}

/**
 * Makes any CrossGuard resource policy approvable: where `policy` reports a violation, the
 * wrapped policy asks the Clearance gate for an approval of the resource as the policy saw it.
 *
 * - The approval is bound to the stack, the resource's URN, `policy.name` and all of the
 *   resource's inputs (values under secret-looking keys enter the fingerprint only as a hash):
 *   any change to the resource needs a new approval.
 * - Approved: the violation is dropped, and the run record puts the approval on record as an
 *   exception.
 * - Not approved: the policy's own message is reported, with the link of the approval request.
 * - Advisory stays advisory: a policy whose enforcement level is `advisory` or `disabled`, and a
 *   violation reported as advisory, are passed on unchanged. The enforcement level, config
 *   schema and remediation of `policy` are kept.
 */
export function requireApproval(
  policy: ResourceValidationPolicy,
  options: RequireApprovalOptions = {},
): ResourceValidationPolicy {
  if (policy.enforcementLevel === 'advisory' || policy.enforcementLevel === 'disabled') {
    return policy;
  }
  const inner = validations(policy);
  const gate = options.gate ?? packGate();
  const prepare = onFirstResource(gate, policy.name);
  const validateResource = async (
    args: ResourceValidationArgs,
    report: ReportViolation,
  ): Promise<void> => {
    prepare(() => ({}));
    const found: Violation[] = [];
    const collect = (input?: ViolationInput, urn?: string): void => {
      found.push(asViolation(input, urn));
    };
    for (const validate of inner) await validate(args, collect as ReportViolation);
    const gated = found.filter(
      (v) => v.enforcementLevel !== 'advisory' && (v.urn === undefined || v.urn === args.urn),
    );
    for (const v of found) if (!gated.includes(v)) passOn(report, v);
    if (gated.length === 0) return;
    const resource = { type: args.type, urn: args.urn, name: args.name, props: args.props };
    const finding = inputsFinding(
      resource,
      gated.map((v) => v.message),
    );
    let verdict: Verdict;
    try {
      verdict = await gate.check({ policy: policy.name, resource, finding, config: {} });
    } catch (err) {
      verdict = mandatory(
        gateFailedMessage(policy.name, err instanceof Error ? err.message : String(err)),
      );
    }
    reportVerdict(report, policy.description, verdict, args.urn);
  };
  return { ...policy, validateResource };
}
