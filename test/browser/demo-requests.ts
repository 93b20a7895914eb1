import {
  fingerprint,
  parseStackName,
  redactMaterial,
  type CreateRequestBody,
} from '@clearance/client';
import { rules } from '../../policy-pack/src/policies/index.js';
import { withDefaults, type SensitiveRule } from '../../policy-pack/src/sensitive-rule.js';

/** A resource of a Pulumi program, as the policy pack sees it. */
export interface DemoResource {
  /** org/project/stack */
  stack: string;
  type: string;
  name: string;
  props: Record<string, unknown>;
}

function ruleNamed(name: string): SensitiveRule {
  const rule = rules.find((r) => r.name === name);
  if (!rule) throw new Error(`no policy ${name} in the pack`);
  return rule as SensitiveRule;
}

/**
 * The request the policy pack opens for `resource` under `policy` (default settings): the
 * policy's own summary and material (secrets as their hash), and the real fingerprint.
 */
export function packRequest(
  policy: string,
  resource: DemoResource,
  extra: Pick<CreateRequestBody, 'reason' | 'durationSeconds'>,
): CreateRequestBody {
  const rule = ruleNamed(policy);
  const { org, project, stack } = parseStackName(resource.stack);
  const urn = `urn:pulumi:${stack}::${project}::${resource.type}::${resource.name}`;
  const finding = rule.detect(
    { type: resource.type, urn, name: resource.name, props: resource.props },
    withDefaults(rule, undefined),
  );
  if (!finding) throw new Error(`${policy} finds nothing sensitive in ${urn}`);
  return {
    stack: resource.stack,
    urn,
    type: resource.type,
    policy,
    fingerprint: fingerprint({
      org,
      project,
      stack,
      urn,
      type: resource.type,
      policy,
      material: finding.material,
    }),
    summary: finding.summary,
    material: redactMaterial(finding.material) as Record<string, unknown>,
    ...(finding.propertyNames ? { propertyNames: finding.propertyNames } : {}),
    ...extra,
  };
}

/** A security group that opens SSH to the internet (policy `aws-security-group-open-ingress`). */
export function openSshRequest(
  name: string,
  extra: Pick<CreateRequestBody, 'reason' | 'durationSeconds'>,
  stack = 'acme/shop/prod',
): CreateRequestBody {
  return packRequest(
    'aws-security-group-open-ingress',
    {
      stack,
      type: 'aws:ec2/securityGroup:SecurityGroup',
      name,
      props: {
        description: 'bastion access',
        vpcId: 'vpc-0c3f9a1d2b4e5f607',
        ingress: [
          { protocol: 'tcp', fromPort: 22, toPort: 22, cidrBlocks: ['0.0.0.0/0'] },
          { protocol: 'tcp', fromPort: 443, toPort: 443, cidrBlocks: ['10.0.0.0/8'] },
        ],
      },
    },
    extra,
  );
}

/** The AdministratorAccess managed policy attached to a role (policy `aws-iam-admin-grant`). */
export function adminGrantRequest(
  extra: Pick<CreateRequestBody, 'reason' | 'durationSeconds'>,
): CreateRequestBody {
  return packRequest(
    'aws-iam-admin-grant',
    {
      stack: 'acme/payments/prod',
      type: 'aws:iam/rolePolicyAttachment:RolePolicyAttachment',
      name: 'breakglass-admin',
      props: {
        role: 'oncall-breakglass',
        policyArn: 'arn:aws:iam::aws:policy/AdministratorAccess',
      },
    },
    extra,
  );
}

/**
 * A role that a vendor's account may assume with an external id (policy
 * `aws-iam-role-external-trust`); the external id is a secret and shows redacted.
 */
export function vendorTrustRequest(
  extra: Pick<CreateRequestBody, 'reason' | 'durationSeconds'>,
  vendorAccount = '999988887777',
): CreateRequestBody {
  const trust = {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${vendorAccount}:root` },
        Action: 'sts:AssumeRole',
        Condition: { StringEquals: { 'sts:ExternalId': 'a7f3c2e9-vendor-export' } },
      },
    ],
  };
  return packRequest(
    'aws-iam-role-external-trust',
    {
      stack: 'acme/shop/prod',
      type: 'aws:iam/role:Role',
      name: 'vendor-export',
      props: { name: 'vendor-export', assumeRolePolicy: JSON.stringify(trust) },
    },
    extra,
  );
}

/** A database that can be deleted without a final snapshot (policy `aws-rds-deletion-protection-off`). */
export function unprotectedDatabaseRequest(
  extra: Pick<CreateRequestBody, 'reason' | 'durationSeconds'>,
): CreateRequestBody {
  return packRequest(
    'aws-rds-deletion-protection-off',
    {
      stack: 'acme/shop/staging',
      type: 'aws:rds/instance:Instance',
      name: 'orders-db',
      props: {
        engine: 'postgres',
        instanceClass: 'db.t4g.medium',
        allocatedStorage: 50,
        deletionProtection: false,
        skipFinalSnapshot: true,
      },
    },
    extra,
  );
}
