import { describe, expect, it } from 'vitest';
import { hashApiToken, verifyPasswordHash } from '../../auth/secrets.js';
import { parseConfig } from '../../config/load-config.js';
import { main } from '../main.js';
import { recordingIo } from '../test-io.case.js';

/** A config whose one user carries exactly the lines `hash-token` printed. */
function configWith(lines: string): ReturnType<typeof parseConfig> {
  const user = lines
    .trim()
    .split('\n')
    .map((l) => `    ${l}`)
    .join('\n');
  const yaml = [
    'users:',
    '  - id: dana',
    '    name: Dana',
    '    groups: [deployers]',
    user,
    'defaultRule:',
    '  approvals: 1',
    '  approverGroups: [managers]',
    '  maxDurationSeconds: 3600',
    '',
  ].join('\n');
  return parseConfig(yaml, 'test.yaml');
}

describe('clearance hash-token', () => {
  it('hashes a token read from stdin into a line the config loader accepts', async () => {
    const io = recordingIo({}, 's3cret-token\n');
    expect(await main(['hash-token'], io)).toBe(0);
    expect(io.out()).toBe(`apiTokenSha256: ${hashApiToken('s3cret-token')}\n`);
    expect(configWith(io.out()).users[0]?.apiTokenSha256).toBe(hashApiToken('s3cret-token'));
  });

  it('hashes a console password that verifies, and prints both lines when asked', async () => {
    const io = recordingIo({}, 'correct horse\n');
    expect(await main(['hash-token', '--password', '--api-token'], io)).toBe(0);
    const user = configWith(io.out()).users[0];
    expect(user?.apiTokenSha256).toBe(hashApiToken('correct horse'));
    expect(await verifyPasswordHash(user?.passwordHash ?? '', 'correct horse')).toBe(true);
    expect(await verifyPasswordHash(user?.passwordHash ?? '', 'wrong horse')).toBe(false);
  });

  it('generates a new token, shows it once on stderr and prints only its hash', async () => {
    const io = recordingIo();
    expect(await main(['hash-token', '--generate'], io)).toBe(0);
    const token = /\n(clr_[A-Za-z0-9_-]{43})\n/.exec(io.err())?.[1];
    expect(token).toBeDefined();
    expect(io.out()).toBe(`apiTokenSha256: ${hashApiToken(token ?? '')}\n`);
    expect(io.out()).not.toContain(token);
    const again = recordingIo();
    await main(['hash-token', '--generate'], again);
    expect(again.err()).not.toContain(token);
  });

  it('refuses empty or multi-line input', async () => {
    const empty = recordingIo({}, '\n');
    expect(await main(['hash-token'], empty)).toBe(1);
    expect(empty.err()).toContain('read nothing from standard input');
    const two = recordingIo({}, 'a\nb\n');
    expect(await main(['hash-token'], two)).toBe(1);
    expect(two.err()).toContain('expected one line');
  });
});
