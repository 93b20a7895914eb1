import { bindingKey, fingerprint, type ApprovalBinding } from '@clearance/client';
import type { Finding, ResourceInput } from '../sensitive-rule.js';
import type { RunContext } from './run-context.js';

/** One sensitive resource state under one policy: what needs an approval in this run. */
export interface GateItem {
  binding: ApprovalBinding;
  /** Identifies the binding within the run (the stack is the run's). */
  key: string;
  type: string;
  name: string;
  finding: Finding;
}

/** Binds a finding to the run's stack: the fingerprint covers org, project, stack, URN, type, policy and material. */
export function gateItem(
  run: RunContext,
  policy: string,
  resource: ResourceInput,
  finding: Finding,
): GateItem {
  const fp = fingerprint({
    org: run.org,
    project: run.project,
    stack: run.stack,
    urn: resource.urn,
    type: resource.type,
    policy,
    material: finding.material,
  });
  const binding: ApprovalBinding = {
    stack: run.stackName,
    urn: resource.urn,
    policy,
    fingerprint: fp,
  };
  return { binding, key: bindingKey(binding), type: resource.type, name: resource.name, finding };
}
