import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashApiToken, verifyPasswordHash } from '../auth/secrets.js';
import { isClearanceError } from '@clearance/client';
import { loadConfig, parseConfig } from './load-config.js';

const demoPath = fileURLToPath(new URL('../../config/demo.yaml', import.meta.url));
const minimal =
  'defaultRule: { approvals: 2, approverGroups: [managers], maxDurationSeconds: 3600 }\n';

function configError(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (isClearanceError(err, 'ERR_CONFIG')) return err.message;
    throw err;
  }
  throw new Error('expected ERR_CONFIG');
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'clearance-config-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('the demo config', () => {
  it('has managers alice and bob, deployer carol, and a default rule of 2 managers for 1 hour', () => {
    const config = loadConfig(demoPath);
    expect(config.demo).toBe(true);
    expect(config.users.map((u) => [u.id, u.groups])).toEqual([
      ['alice', ['managers']],
      ['bob', ['managers']],
      ['carol', ['deployers']],
    ]);
    expect(config.defaultRule).toMatchObject({
      approvals: 2,
      approverGroups: ['managers'],
      maxDurationSeconds: 3600,
    });
    expect(config.pendingTtlSeconds).toBe(86_400);
  });

  it('holds only hashes of its public credentials', async () => {
    const config = loadConfig(demoPath);
    for (const user of config.users) {
      expect(user.apiTokenSha256).toBe(hashApiToken(`demo-${user.id}`));
      expect(await verifyPasswordHash(user.passwordHash ?? '', user.id)).toBe(true);
    }
  });
});

describe('parseConfig', () => {
  it('fills in the defaults', () => {
    const config = parseConfig(minimal, 'c.yaml');
    expect(config).toMatchObject({
      demo: false,
      pendingTtlSeconds: 86_400,
      users: [],
      rules: [],
      auditorGroups: ['auditors'],
    });
    expect(config.defaultRule).toMatchObject({
      name: 'default',
      requesterGroups: [],
      reasonRequired: false,
    });
    const rule = parseConfig(
      `${minimal}rules: [{ name: r, approvals: 1, approverGroups: [a], maxDurationSeconds: 60 }]\n`,
      'c.yaml',
    ).rules[0];
    expect(rule).toMatchObject({ policies: ['*'], stacks: ['**'] });
  });

  it('names the file, the key and what was expected', () => {
    const wrongType = configError(() =>
      parseConfig(
        `${minimal}rules:\n  - name: prod\n    approvals: two\n    approverGroups: [managers]\n    maxDurationSeconds: 60\n`,
        'conf/service.yaml',
      ),
    );
    expect(wrongType).toMatch(/^conf\/service\.yaml: invalid configuration:/);
    expect(wrongType).toContain('rules[0].approvals: expected number, received string');
    const missing = configError(() => parseConfig('users: []\n', 'c.yaml'));
    expect(missing).toContain('defaultRule: expected object, received undefined');
    const unknown = configError(() => parseConfig(`${minimal}user: []\n`, 'c.yaml'));
    expect(unknown).toContain('user: unknown field');
    const window = configError(() =>
      parseConfig(
        `${minimal.replace('3600 }', "3600, window: { days: [mon], from: '9:00', to: '17:00', timeZone: Mars/Olympus } }")}`,
        'c.yaml',
      ),
    );
    expect(window).toContain('defaultRule.window.from: expected a time of day as HH:MM');
    expect(window).toContain('defaultRule.window.timeZone: expected an IANA time zone');
  });

  it('refuses secrets in clear and duplicate users or tokens', () => {
    const users = (extra: string) => `${minimal}users:\n${extra}`;
    const clear = configError(() =>
      parseConfig(users('  - { id: a, name: A, apiTokenSha256: demo-a }\n'), 'c.yaml'),
    );
    expect(clear).toContain('users[0].apiTokenSha256: expected the SHA-256 of the token');
    const password = configError(() =>
      parseConfig(users('  - { id: a, name: A, passwordHash: hunter2 }\n'), 'c.yaml'),
    );
    expect(password).toContain('users[0].passwordHash: expected scrypt$N$r$p$<salt>$<hash>');
    const h = hashApiToken('t');
    const twice = configError(() =>
      parseConfig(
        users(
          `  - { id: a, name: A, apiTokenSha256: ${h} }\n  - { id: a, name: B, apiTokenSha256: ${h} }\n`,
        ),
        'c.yaml',
      ),
    );
    expect(twice).toContain('users[1].id: expected a unique user id');
    expect(twice).toContain('users[1].apiTokenSha256: expected a unique API token');
  });

  it('reports YAML syntax errors with their line', () => {
    expect(configError(() => parseConfig('users: [\n  - a\nfoo: : bar\n', 'bad.yaml'))).toMatch(
      /^bad\.yaml: line \d+: /,
    );
    expect(
      configError(() => parseConfig(`${minimal}demo: true\ndemo: false\n`, 'dup.yaml')),
    ).toMatch(/^dup\.yaml: line 3: .*unique/i);
  });

  it('resolves signingKeyFile against the folder of the config', () => {
    expect(
      parseConfig(`${minimal}signingKeyFile: keys/k.pem\n`, '/etc/clearance/config.yaml')
        .signingKeyFile,
    ).toBe('/etc/clearance/keys/k.pem');
  });
});

describe('loadConfig', () => {
  it('names a file it cannot read', () => {
    expect(configError(() => loadConfig(join(dir, 'absent.yaml')))).toBe(
      `${join(dir, 'absent.yaml')}: cannot read the config file (no such file)`,
    );
  });

  it('reads a file from disk', async () => {
    const path = join(dir, 'ok.yaml');
    await writeFile(path, minimal);
    expect(loadConfig(path).defaultRule.approvals).toBe(2);
  });
});
