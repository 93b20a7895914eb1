import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { main } from './main.js';
import { commandEntries } from './registry.js';
import { recordingIo } from './test-io.case.js';
import { requestArgs } from './test-service.case.js';

describe('clearance (no service needed)', () => {
  it('lists every command in --help', async () => {
    const io = recordingIo();
    expect(await main(['--help'], io)).toBe(0);
    for (const entry of commandEntries) expect(io.out()).toContain(entry.name);
    expect(io.out()).toContain('CLEARANCE_URL');
  });

  it('prints the version of the package with --version and -V', async () => {
    const pkg = JSON.parse(
      await readFile(new URL('../../package.json', import.meta.url), 'utf8'),
    ) as { version: string };
    for (const flag of ['--version', '-V']) {
      const io = recordingIo();
      expect(await main([flag], io)).toBe(0);
      expect(io.out()).toBe(`clearance ${pkg.version}\n`);
      expect(io.err()).toBe('');
    }
    const help = recordingIo();
    await main(['--help'], help);
    expect(help.out()).toContain("'clearance --version'");
  });

  it('prints the list on stderr and fails when called without a command', async () => {
    const io = recordingIo();
    expect(await main([], io)).toBe(1);
    expect(io.err()).toContain('Usage: clearance <command>');
  });

  it('names an unknown command and a group without its subcommand', async () => {
    const io = recordingIo();
    expect(await main(['deploy'], io)).toBe(1);
    expect(io.err()).toBe(
      `clearance: unknown command "deploy"\nRun 'clearance --help' for the list of commands.\n`,
    );
    const group = recordingIo();
    expect(await main(['audit'], group)).toBe(1);
    expect(group.err()).toContain('"audit" needs a subcommand: audit verify, audit export');
  });

  it.each(commandEntries.map((e) => e.name))('shows help for %s', async (name) => {
    const io = recordingIo();
    expect(await main([...name.split(' '), '--help'], io)).toBe(0);
    expect(io.out()).toMatch(new RegExp(`^Usage: clearance ${name}`));
    expect(io.out()).toContain('-h, --help');
    expect(io.err()).toBe('');
  });

  it('gives a plain error and exit 1 for a bad flag, without a stack trace', async () => {
    const io = recordingIo({ CLEARANCE_TOKEN: 't' });
    expect(await main(['approve', 'req_1', '--reson', 'typo'], io)).toBe(1);
    expect(io.err()).toBe(
      "clearance approve: unknown option --reson\nRun 'clearance approve --help' for usage.\n",
    );
  });

  it('reports missing required values in plain words', async () => {
    const io = recordingIo({ CLEARANCE_TOKEN: 't' });
    expect(await main(['gate-preview', 'preview.json'], io)).toBe(1);
    // No --stack and no CLEARANCE_ORG: the stack cannot be taken from the preview's URNs.
    expect(io.err()).toContain(
      "clearance gate-preview: the preview's URNs name its project and stack but not its org: set CLEARANCE_ORG, or give --stack",
    );
    const wait = recordingIo({ CLEARANCE_TOKEN: 't' });
    expect(await main(['wait', '--stack', 'a/b/c', '--timeout', 'soon'], wait)).toBe(1);
    expect(wait.err()).toContain(
      '--timeout must be a duration such as 90s, 30m, 1h or 1h30m, got "soon"',
    );
  });

  it.each([
    ['request', requestArgs().slice(1)],
    ['approve', ['req_1', '--reason', 'ok']],
    ['deny', ['req_1', '--reason', 'no']],
    ['revoke', ['req_1']],
    ['status', ['req_1']],
    ['wait', ['req_1', '--timeout', '200ms', '--interval', '50ms']],
    ['audit export', []],
  ])('%s calls the service at CLEARANCE_URL, or at --url over it', async (name, args) => {
    const argv = [...name.split(' '), ...args];
    const env = { CLEARANCE_TOKEN: 't', CLEARANCE_URL: 'http://127.0.0.1:9' };
    const fromEnv = recordingIo(env);
    expect(await main(argv, fromEnv)).not.toBe(0);
    expect(fromEnv.err()).toContain('the approval service at http://127.0.0.1:9 is unreachable');
    const fromFlag = recordingIo(env);
    expect(await main([...argv, '--url', 'http://127.0.0.1:1'], fromFlag)).not.toBe(0);
    expect(fromFlag.err()).toContain('the approval service at http://127.0.0.1:1 is unreachable');
    expect(fromFlag.err()).not.toContain('127.0.0.1:9 ');
  });

  it('explains an unreachable service', async () => {
    const io = recordingIo({ CLEARANCE_TOKEN: 't', CLEARANCE_URL: 'http://127.0.0.1:9' });
    expect(await main(['status', 'req_1'], io)).toBe(1);
    expect(io.err()).toMatch(
      /^clearance status: the approval service at http:\/\/127\.0\.0\.1:9 is unreachable \(is it running\?/,
    );
    expect(io.err()).not.toMatch(/\n\s+at /);
  });
});
