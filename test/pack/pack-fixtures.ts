import { rules } from '../../policy-pack/src/policies/index.js';
import { appliesTo, withDefaults } from '../../policy-pack/src/sensitive-rule.js';
import { gateItem } from '../../policy-pack/src/gate/gate-item.js';
import { runContextFrom } from '../../policy-pack/src/gate/run-context.js';
import { redactMaterial, requestFingerprint, type ApprovalBinding } from '@clearance/client';
import { urn, type Diagnostic, type EngineResource, type StackRef } from '../engine/index.js';
import { apiTokens, type TestService } from './test-service.js';

export const prod: StackRef = { org: 'acme', project: 'shop', stack: 'prod' };
export const SG_TYPE = 'aws:ec2/securityGroup:SecurityGroup';
export const SG_POLICY = 'aws-security-group-open-ingress';

/** A security group with one SSH ingress rule from `cidr` (IPv6 when it has a colon; open to the world by default). */
export function securityGroup(name: string, cidr: unknown = '0.0.0.0/0'): EngineResource {
  const blocks = typeof cidr === 'string' && cidr.includes(':') ? 'ipv6CidrBlocks' : 'cidrBlocks';
  return {
    type: SG_TYPE,
    name,
    properties: {
      name,
      description: 'Managed by Pulumi',
      vpcId: 'vpc-0a1b2c3d',
      ingress: [{ protocol: 'tcp', fromPort: 22, toPort: 22, [blocks]: [cidr] }],
    },
  };
}

export function bucket(name: string): EngineResource {
  return {
    type: 'aws:s3/bucket:Bucket',
    name,
    properties: { bucket: name, tags: { team: 'web' } },
  };
}

export function resourceUrn(stack: StackRef, resource: EngineResource): string {
  return resource.urn ?? urn(stack.stack, stack.project, resource.type, resource.name);
}

/** The pack's environment: where the service is and carol's API token. */
export function serviceEnv(service: Pick<TestService, 'url'>, extra: Record<string, string> = {}) {
  return { CLEARANCE_URL: service.url, CLEARANCE_TOKEN: apiTokens.carol, ...extra };
}

export function mandatory(diagnostics: Diagnostic[]): Diagnostic[] {
  return diagnostics.filter((d) => d.enforcementLevel === 'mandatory');
}

export function advisory(diagnostics: Diagnostic[]): Diagnostic[] {
  return diagnostics.filter((d) => d.enforcementLevel === 'advisory');
}

/** A binding with the type, summary and material (secrets as their hash) a request sends. */
export type PackBinding = ApprovalBinding & {
  type: string;
  summary: string;
  material: Record<string, unknown>;
};

/**
 * What the pack will ask approvals for, computed in-process with the pack's own rules and
 * fingerprint: one binding per (resource, policy) whose state is sensitive.
 */
export function packBindings(stack: StackRef, resources: EngineResource[]): PackBinding[] {
  const run = runContextFrom({
    getOrganization: () => stack.org,
    getProject: () => stack.project,
    getStack: () => stack.stack,
    isDryRun: () => false,
  });
  return resources.flatMap((r) => {
    const input = {
      type: r.type,
      urn: resourceUrn(stack, r),
      name: r.name,
      props: r.properties ?? {},
    };
    return rules.flatMap((rule) => {
      if (!appliesTo(rule, r.type)) return [];
      const finding = rule.detect(input, withDefaults(rule, {}));
      if (!finding || finding.unknown) return [];
      const { binding } = gateItem(run, rule.name, input, finding);
      const material = redactMaterial(finding.material) as Record<string, unknown>;
      return [{ ...binding, type: r.type, summary: finding.summary, material }];
    });
  });
}

/**
 * The binding with some fields changed and the fingerprint the service computes for it: a
 * state the service will approve, which differs from the pack's in those fields.
 */
export function rebind(binding: PackBinding, changes: Partial<PackBinding>): PackBinding {
  const changed = { ...binding, ...changes };
  return { ...changed, fingerprint: requestFingerprint(changed) };
}

/** Opens and approves (alice and bob) a request for each binding, in-process; returns the request ids. */
export async function seedApprovals(
  service: TestService,
  bindings: ReturnType<typeof packBindings>,
): Promise<string[]> {
  const ids: string[] = [];
  for (const binding of bindings) {
    const { request } = await service.services.requests.createRequest(service.actor('carol'), {
      ...binding,
      reason: 'seeded',
    });
    await service.approve(request.id);
    ids.push(request.id);
  }
  return ids;
}
