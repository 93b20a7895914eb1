import { requestFingerprint } from '@clearance/client';
import { hashApiToken } from '../auth/secrets.js';
import { startTestServer } from '../testing/test-server.js';

/** API tokens of the users of the test config: managers alice and bob, deployer carol. */
export const testTokens = { alice: 'test-alice', bob: 'test-bob', carol: 'test-carol' } as const;
export type TestUser = keyof typeof testTokens;

export const testStack = 'acme/app/test';

/** The approval service on loopback (port 0), with a temp data dir and a known config; for CLI tests. */
export interface TestService {
  url: string;
  dataDir: string;
  configPath: string;
  /** Environment of a command run as `user` against this service. */
  env(user: TestUser): Record<string, string>;
  /** Stops the server and keeps the data directory. */
  stop(): Promise<void>;
  /** Stops the server and removes its files. */
  close(): Promise<void>;
}

export function testConfigYaml(): string {
  const user = (id: TestUser, groups: string) =>
    `  - {id: ${id}, name: ${id}, groups: [${groups}], apiTokenSha256: ${hashApiToken(testTokens[id])}}`;
  return [
    'users:',
    user('alice', 'managers'),
    user('bob', 'managers'),
    user('carol', 'deployers'),
    'defaultRule:',
    '  approvals: 2',
    '  approverGroups: [managers]',
    '  maxDurationSeconds: 3600',
    '',
  ].join('\n');
}

export async function startTestService(): Promise<TestService> {
  const { url, dataDir, configPath, stop, close } = await startTestServer({
    config: testConfigYaml(),
    prefix: 'clearance-cli-',
  });
  return {
    url,
    dataDir,
    configPath,
    env: (user) => ({ CLEARANCE_URL: url, CLEARANCE_TOKEN: testTokens[user] }),
    stop,
    close,
  };
}

let counter = 0;

/** Arguments of `clearance request` for a fresh resource (unique URN, its real fingerprint). */
export function requestArgs(stack = testStack): string[] {
  counter += 1;
  const name = `res-${process.pid}-${counter}-${Date.now()}`;
  const change = {
    stack,
    urn: `urn:pulumi:test::app::aws:ec2/securityGroup:SecurityGroup::${name}`,
    type: 'aws:ec2/securityGroup:SecurityGroup',
    policy: 'aws-security-group-open-ingress',
    material: { cidr: '0.0.0.0/0', port: 22 },
  };
  return [
    'request',
    '--stack',
    change.stack,
    '--urn',
    change.urn,
    '--type',
    change.type,
    '--policy',
    change.policy,
    '--material',
    JSON.stringify(change.material),
    '--fingerprint',
    requestFingerprint(change),
    '--summary',
    'opens port 22 to 0.0.0.0/0',
    '--reason',
    'debugging',
  ];
}
