import type { EngineResource } from '../test/engine/index.js';

/** A generated resource; `sensitive` says whether the Clearance policies should flag it (never sent to the pack). */
export interface SyntheticResource extends EngineResource {
  sensitive: boolean;
}

type Kind = (i: number) => Omit<EngineResource, 'name'> & { name: string };

const OPEN_TO_WORLD = ['0.0.0.0/0'];
const ADMIN_ARN = 'arn:aws:iam::aws:policy/AdministratorAccess';
const READ_ONLY_ARN = 'arn:aws:iam::aws:policy/ReadOnlyAccess';

const securityGroup = (i: number, port: number, cidrBlocks: string[]) => ({
  type: 'aws:ec2/securityGroup:SecurityGroup',
  name: `sg-${i}`,
  properties: {
    name: `sg-${i}`,
    description: 'Managed by Pulumi',
    vpcId: 'vpc-0a1b2c3d4e5f67890',
    revokeRulesOnDelete: false,
    ingress: [
      { protocol: 'tcp', fromPort: port, toPort: port, cidrBlocks, description: 'service port' },
    ],
    egress: [{ protocol: '-1', fromPort: 0, toPort: 0, cidrBlocks: OPEN_TO_WORLD }],
    tags: { Name: `sg-${i}`, team: 'platform' },
  },
});

const publicAccessBlock = (i: number, blocked: boolean) => ({
  type: 'aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock',
  name: `pab-${i}`,
  properties: {
    bucket: `bucket-${i}`,
    blockPublicAcls: blocked,
    blockPublicPolicy: blocked,
    ignorePublicAcls: blocked,
    restrictPublicBuckets: blocked,
  },
});

const attachment = (i: number, policyArn: string) => ({
  type: 'aws:iam/rolePolicyAttachment:RolePolicyAttachment',
  name: `attach-${i}`,
  properties: { role: `role-${i}`, policyArn },
});

const sensitiveKinds: Kind[] = [
  (i) => securityGroup(i, 22, OPEN_TO_WORLD),
  (i) => publicAccessBlock(i, false),
  (i) => attachment(i, ADMIN_ARN),
];

const compliantKinds: Kind[] = [
  (i) => securityGroup(i, 443, ['10.0.0.0/16']),
  (i) => ({
    type: 'aws:s3/bucket:Bucket',
    name: `bucket-${i}`,
    properties: { bucket: `bucket-${i}`, forceDestroy: false, tags: { team: 'platform' } },
  }),
  (i) => ({
    type: 'aws:iam/role:Role',
    name: `role-${i}`,
    properties: {
      name: `role-${i}`,
      assumeRolePolicy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { Service: 'lambda.amazonaws.com' },
            Action: 'sts:AssumeRole',
          },
        ],
      }),
      tags: { team: 'platform' },
    },
  }),
  (i) => publicAccessBlock(i, true),
  (i) => attachment(i, READ_ONLY_ARN),
];

/**
 * Generates `n` AWS-like resources (security groups, buckets and their public access blocks,
 * roles and policy attachments), of which `round(n * sensitiveFraction)` are sensitive, spread
 * evenly: an open security group, a disabled public access block or an admin policy attachment.
 */
export function syntheticStack(n: number, sensitiveFraction: number): SyntheticResource[] {
  if (!Number.isInteger(n) || n < 0)
    throw new RangeError(`n must be a non-negative integer, got ${n}`);
  if (!(sensitiveFraction >= 0 && sensitiveFraction <= 1)) {
    throw new RangeError(`sensitiveFraction must be within [0, 1], got ${sensitiveFraction}`);
  }
  const sensitiveCount = Math.round(n * sensitiveFraction);
  let sensitiveSoFar = 0;
  return Array.from({ length: n }, (_, i) => {
    const sensitive =
      Math.floor(((i + 1) * sensitiveCount) / n) > Math.floor((i * sensitiveCount) / n);
    const kinds = sensitive ? sensitiveKinds : compliantKinds;
    const ordinal = sensitive ? sensitiveSoFar++ : i - sensitiveSoFar;
    const kind = kinds[ordinal % kinds.length]!;
    return { ...kind(i), sensitive };
  });
}
