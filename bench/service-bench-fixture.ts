import { hashApiToken } from '@clearance/approval-service';
import { type CheckItem, requestFingerprint } from '@clearance/client';

/** Shared by the service benchmark and the process that serves it. */
export const benchStack = 'acme/app/bench';
export const benchTokens = {
  carol: 'bench-carol',
  alice: 'bench-alice',
  bob: 'bench-bob',
} as const;

/** What the child reports once listening. */
export interface BenchServers {
  bareUrl: string;
  seededUrl: string;
  emptyUrl: string;
  /** The approved (urn, policy, fingerprint) items seeded into `seededUrl`. */
  items: CheckItem[];
  seedMs: number;
}

/** The service config of the benchmarks; `alicePasswordHash` lets alice sign in to the console. */
export function benchConfigYaml(alicePasswordHash?: string): string {
  const user = (id: string, groups: string, extra = '') =>
    `  - {id: ${id}, name: ${id}, groups: [${groups}], apiTokenSha256: ${hashApiToken(benchTokens[id as keyof typeof benchTokens])}${extra}}`;
  return [
    'publicUrl: http://127.0.0.1:8080',
    'users:',
    user('carol', 'deployers'),
    user('alice', 'managers', alicePasswordHash ? `, passwordHash: '${alicePasswordHash}'` : ''),
    user('bob', 'managers'),
    'defaultRule:',
    '  approvals: 2',
    '  approverGroups: [managers]',
    '  maxDurationSeconds: 86400',
    '',
  ].join('\n');
}

export const benchType = 'aws:s3/bucket:Bucket';

/** The sensitive material of the n-th benchmark resource. */
export function benchMaterial(i: number): Record<string, unknown> {
  return { acl: 'public-read', bucket: `bucket-${i}` };
}

/** The body of the n-th request of the request+approve flow. */
export function flowRequestBody(n: number): Record<string, unknown> {
  const change = {
    stack: benchStack,
    urn: `urn:pulumi:bench::app::aws:ec2/securityGroup:SecurityGroup::flow-${n}`,
    type: 'aws:ec2/securityGroup:SecurityGroup',
    policy: 'bench-open-ingress',
    material: { cidr: '0.0.0.0/0', port: 22 },
  };
  return {
    ...change,
    fingerprint: requestFingerprint(change),
    summary: 'open port 22',
    reason: 'benchmark',
  };
}

/** The n-th benchmark resource: a stable URN and the fingerprint of its material. */
export function benchItem(i: number): CheckItem {
  const urn = `urn:pulumi:bench::app::${benchType}::bucket-${i}`;
  const policy = 'bench-sensitive-bucket';
  const material = benchMaterial(i);
  const fingerprint = requestFingerprint({
    stack: benchStack,
    urn,
    type: benchType,
    policy,
    material,
  });
  return { urn, policy, fingerprint };
}
