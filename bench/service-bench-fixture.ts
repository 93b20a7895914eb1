import { hashApiToken } from '../approval-service/src/auth/secrets.js';
import { type CheckItem, sha256Hex } from '../approval-service/src/client/index.js';

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

export function benchConfigYaml(): string {
  const user = (id: string, groups: string) =>
    `  - {id: ${id}, name: ${id}, groups: [${groups}], apiTokenSha256: ${hashApiToken(benchTokens[id as keyof typeof benchTokens])}}`;
  return [
    'publicUrl: http://127.0.0.1:8080',
    'users:',
    user('carol', 'deployers'),
    user('alice', 'managers'),
    user('bob', 'managers'),
    'defaultRule:',
    '  approvals: 2',
    '  approverGroups: [managers]',
    '  maxDurationSeconds: 86400',
    '',
  ].join('\n');
}

/** The n-th benchmark resource: a stable URN and fingerprint. */
export function benchItem(i: number): CheckItem {
  return {
    urn: `urn:pulumi:bench::app::aws:s3/bucket:Bucket::bucket-${i}`,
    policy: 'bench-sensitive-bucket',
    fingerprint: sha256Hex(`bench-${i}`),
  };
}
