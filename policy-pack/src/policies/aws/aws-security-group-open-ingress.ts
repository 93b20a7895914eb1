import type * as aws from '@pulumi/aws';
import { z } from 'zod';
import {
  UNKNOWN,
  findingOf,
  resolveProps,
  triAnd,
  type Finding,
  type Hit,
  type ResourceInput,
  type SensitiveRule,
  type Tri,
} from '../../sensitive-rule.js';
import { awsTypes } from '../support/aws-types.js';
import { ruleConfig } from '../support/config-schema.js';
import {
  describePermission,
  isOpenIngress,
  permissionMaterial,
  permissionNames,
  type IpPermission,
} from '../support/ip-permission.js';
import { asList, stableSet, stableSetBy } from '../support/values.js';

export interface SecurityGroupOpenIngressConfig {
  /** Only ingress reaching one of these ports counts; empty: any open ingress. */
  ports: number[];
}

const openIngressConfig = z.object({
  ports: z
    .array(z.int().min(0).max(65535))
    .default([])
    .describe('Ports whose exposure is sensitive; empty means any open ingress.'),
}) satisfies z.ZodType<SecurityGroupOpenIngressConfig>;

/** The security groups themselves, whose ingress rules are inline. */
const groupTypes: readonly string[] = [awsTypes.securityGroup, awsTypes.defaultSecurityGroup];

type InlineIngress = aws.types.input.ec2.SecurityGroupIngress;

/**
 * One permission per source CIDR of a rule given with CIDR lists (inline rules,
 * SecurityGroupRule), each noting where the program sets it, below `prefix` (`ingress[0].`).
 */
function permissionsOfCidrLists(rule: Record<string, unknown>, prefix = ''): IpPermission[] {
  const base = { protocol: rule.protocol, fromPort: rule.fromPort, toPort: rule.toPort };
  const at = {
    protocol: `${prefix}protocol`,
    fromPort: `${prefix}fromPort`,
    toPort: `${prefix}toPort`,
  };
  const out: IpPermission[] = [];
  for (const key of ['cidrBlocks', 'ipv6CidrBlocks'] satisfies (keyof InlineIngress)[]) {
    const cidrs = asList(rule[key]);
    if (cidrs === UNKNOWN)
      out.push({ ...base, cidr: UNKNOWN, at: { ...at, cidr: `${prefix}${key}` } });
    else {
      cidrs.forEach((cidr, i) =>
        out.push({ ...base, cidr, at: { ...at, cidr: `${prefix}${key}[${i}]` } }),
      );
    }
  }
  return out;
}

const unknownRule: IpPermission = {
  protocol: UNKNOWN,
  fromPort: UNKNOWN,
  toPort: UNKNOWN,
  cidr: UNKNOWN,
};

/** Every ingress permission of the resource, each with whether the resource is an ingress at all. */
function ingressOf(resource: ResourceInput): { ingress: Tri; permissions: IpPermission[] } {
  if (resource.type === awsTypes.securityGroupIngressRule) {
    const p = resolveProps<aws.vpc.SecurityGroupIngressRuleArgs>(resource.props);
    const base = { protocol: p.ipProtocol, fromPort: p.fromPort, toPort: p.toPort };
    const at = { protocol: 'ipProtocol', fromPort: 'fromPort', toPort: 'toPort' };
    return {
      ingress: true,
      permissions: [
        { ...base, cidr: p.cidrIpv4, at: { ...at, cidr: 'cidrIpv4' } },
        { ...base, cidr: p.cidrIpv6, at: { ...at, cidr: 'cidrIpv6' } },
      ],
    };
  }
  if (resource.type === awsTypes.securityGroupRule) {
    const p = resolveProps<aws.ec2.SecurityGroupRuleArgs>(resource.props);
    const ingress: Tri = p.type === UNKNOWN ? UNKNOWN : p.type === 'ingress';
    return { ingress, permissions: permissionsOfCidrLists(p as Record<string, unknown>) };
  }
  if (!groupTypes.includes(resource.type)) {
    return { ingress: false, permissions: [] };
  }
  const p = resolveProps<aws.ec2.SecurityGroupArgs & aws.ec2.DefaultSecurityGroupArgs>(
    resource.props,
  );
  const rules = asList(p.ingress);
  if (rules === UNKNOWN) return { ingress: true, permissions: [unknownRule] };
  const permissions = rules.flatMap((rule, i) =>
    rule === UNKNOWN
      ? [unknownRule]
      : rule !== null && typeof rule === 'object'
        ? permissionsOfCidrLists(rule as Record<string, unknown>, `ingress[${i}].`)
        : [],
  );
  return { ingress: true, permissions };
}

function detect(
  resource: ResourceInput,
  config: SecurityGroupOpenIngressConfig,
): Finding | undefined {
  const { ingress, permissions } = ingressOf(resource);
  const hits: Hit<IpPermission>[] = permissions.map((perm) => ({
    verdict: triAnd(ingress, isOpenIngress(perm, config.ports)),
    summary: describePermission(perm),
    item: perm,
  }));
  return findingOf(
    hits,
    (perms) => ({ openIngress: stableSet(perms.map(permissionMaterial)) }),
    (perms) => permissionNames('openIngress', stableSetBy(perms, permissionMaterial)),
  );
}

/** Ingress open to the whole internet (`0.0.0.0/0`, `::/0`), optionally only on some ports. */
export const awsSecurityGroupOpenIngress: SensitiveRule<SecurityGroupOpenIngressConfig> = {
  name: 'aws-security-group-open-ingress',
  description:
    'Security group ingress open to 0.0.0.0/0 or ::/0 (on the configured ports, or any) needs an approval.',
  resourceTypes: [...groupTypes, awsTypes.securityGroupRule, awsTypes.securityGroupIngressRule],
  ...ruleConfig(openIngressConfig),
  detect,
};
