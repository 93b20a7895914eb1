import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { hashApiToken, verifyPasswordHash } from '../../auth/secrets.js';
import { parseConfig } from '../../config/load-config.js';
import { main } from '../main.js';
import { recordingIo } from '../test-io.case.js';

const token = 's3cret-token-for-tests-0001';
const password = 'correct horse battery staple';

/** Standard input as a terminal gives it: raw mode switched by the command, keys as typed. */
function terminal(keys: string) {
  const modes: boolean[] = [];
  const stdin = Object.assign(Readable.from([Buffer.from(keys)]), {
    isTTY: true,
    setRawMode: (mode: boolean) => modes.push(mode),
  });
  return { io: { ...recordingIo(), stdin }, modes };
}

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
    const io = recordingIo({}, `${token}\n`);
    expect(await main(['hash-token'], io)).toBe(0);
    expect(io.out()).toBe(`apiTokenSha256: ${hashApiToken(token)}\n`);
    expect(configWith(io.out()).users[0]?.apiTokenSha256).toBe(hashApiToken(token));
  });

  it('hashes a console password that verifies, and prints both lines when asked', async () => {
    const io = recordingIo({}, `${password}\n`);
    expect(await main(['hash-token', '--password', '--api-token'], io)).toBe(0);
    const user = configWith(io.out()).users[0];
    expect(user?.apiTokenSha256).toBe(hashApiToken(password));
    expect(await verifyPasswordHash(user?.passwordHash ?? '', password)).toBe(true);
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

  it('reads a typed password with echo off, twice, and never shows it', async () => {
    const { io, modes } = terminal(`${password}x\u007f\r${password}\r`);
    expect(await main(['hash-token', '--password'], io)).toBe(0);
    expect(modes).toEqual([true, false]);
    expect(io.err()).toBe('Password (not shown): \nPassword again: \n');
    expect(io.out()).not.toContain(password);
    const hash = configWith(io.out()).users[0]?.passwordHash ?? '';
    expect(await verifyPasswordHash(hash, password)).toBe(true);
  });

  it('prints nothing when the typed entries differ, and gives the terminal back on Ctrl-C', async () => {
    const differ = terminal(`${password}\r${password}!\r`);
    expect(await main(['hash-token', '--password'], differ.io)).toBe(1);
    expect(differ.io.out()).toBe('');
    expect(differ.io.err()).toContain(
      'clearance hash-token: the two entries differ; nothing printed\n',
    );
    expect(differ.modes).toEqual([true, false]);
    const cancelled = terminal('abc\u0003');
    expect(await main(['hash-token'], cancelled.io)).toBe(1);
    expect(cancelled.io.err()).toContain('clearance hash-token: cancelled\n');
    expect(cancelled.modes).toEqual([true, false]);
  });

  it('refuses a secret that is too short in one line, typed or piped', async () => {
    const piped = recordingIo({}, 'short\n');
    expect(await main(['hash-token', '--password'], piped)).toBe(1);
    expect(piped.out()).toBe('');
    expect(piped.err()).toBe(
      'clearance hash-token: the console password is too short: 5 characters, at least 12 needed; nothing printed\n',
    );
    const typed = terminal('0123456789abcdefghi\r0123456789abcdefghi\r');
    expect(await main(['hash-token'], typed.io)).toBe(1);
    expect(typed.io.err()).toMatch(
      /\nclearance hash-token: the API token is too short: 19 characters, at least 20 needed; nothing printed\n$/,
    );
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
