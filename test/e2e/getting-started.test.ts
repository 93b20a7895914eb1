import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '@clearance/approval-service/cli';
import { defaultPort, defaultUrl } from '@clearance/approval-service/cli';
import { recordingIo, type RecordingIo } from '@clearance/approval-service/testing';
import {
  clearanceCallProblem,
  clearanceCalls,
  shellWords,
} from '../../examples/ci/pipeline-commands.js';
import { parseHarnessArgs, runExample } from '../../examples/harness/example-harness.js';
import { ConsoleSession } from './console-session.js';

/*
 * Follows the README's "Getting started" step by step, with the commands it shows: the demo
 * service as `npm start` runs it, the harness preview, the approvals in the console (a client
 * that posts its forms as a browser without script), the run again, and after the hour a new
 * request, approved from a terminal.
 */
const root = new URL('../../', import.meta.url);
const readme = readFileSync(new URL('README.md', root), 'utf8');
const start = readme.indexOf('## Getting started');
const section = readme.slice(start, readme.indexOf('\n## ', start + 1));
const scripts = (
  JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as {
    scripts: Record<string, string>;
  }
).scripts;

/** The fenced code blocks of the section, with their language. */
function fencedBlocks(text: string): { lang: string; body: string }[] {
  const blocks: { lang: string; body: string }[] = [];
  let open: { lang: string; lines: string[] } | undefined;
  for (const line of text.split('\n')) {
    const fence = /^```(\w*)$/.exec(line);
    if (fence && !open) open = { lang: fence[1] ?? '', lines: [] };
    else if (fence && open) {
      blocks.push({ lang: open.lang, body: open.lines.join('\n') });
      open = undefined;
    } else open?.lines.push(line);
  }
  return blocks;
}
const blocks = fencedBlocks(section);

/** The command lines of the section's `sh` blocks and inline code, comments dropped. */
const commands = [
  ...blocks.filter((b) => b.lang === 'sh').flatMap((b) => b.body.split('\n')),
  ...[...section.matchAll(/`([^`\n]+)`/g)].map((m) => m[1] ?? ''),
]
  .map((line) => line.replace(/\s+#.*$/, '').trim())
  .filter(Boolean);

/** A command line's leading `NAME=value` assignments and its words. */
function parseCommand(line: string): { env: Record<string, string>; words: string[] } {
  const words = shellWords(line);
  const env: Record<string, string> = {};
  while (/^[A-Z_]+=/.test(words[0] ?? '')) {
    const [name, ...value] = (words.shift() as string).split('=');
    env[name as string] = value.join('=');
  }
  return { env, words };
}

/** The first command line like `pattern`, its `<id>` placeholder filled in. */
function commandLine(pattern: RegExp, id = ''): { env: Record<string, string>; words: string[] } {
  const line = commands.find((c) => pattern.test(c));
  if (!line) throw new Error(`the Getting started section shows no command like ${pattern}`);
  return parseCommand(line.replace('<id>', id));
}

/** `npm run example:<mode> -- <args>`: the harness argv the script receives. */
function harnessArgv(words: string[]): string[] {
  const script = scripts[words[2] ?? ''] ?? '';
  const mode = /^tsx examples\/harness\/run-example\.ts (preview|up)$/.exec(script)?.[1];
  if (words[0] !== 'npm' || words[1] !== 'run' || !mode) {
    throw new Error(`not a harness script: ${words.join(' ')}`);
  }
  return [mode, ...words.slice(words.indexOf('--') + 1)];
}

describe('README Getting started', () => {
  it('shows npm scripts, clearance commands and paths that exist', async () => {
    for (const line of commands.filter((c) => /\bnpm run /.test(c))) {
      const { words } = parseCommand(line);
      expect(scripts, line).toHaveProperty(words[2] as string);
    }
    expect(commands).toContain('npm start');
    expect(scripts.start).toMatch(/ serve --demo$/);
    expect(commands).toContain(`export CLEARANCE_URL=${defaultUrl}`);

    const calls = clearanceCalls(
      commands.map((text) => ({ where: 'README', job: '', text: text.replace('<id>', 'req_1') })),
    );
    expect(calls.map((c) => c.args[0])).toEqual(['approve']);
    for (const call of calls) expect(await clearanceCallProblem(call)).toBeUndefined();

    const project = commandLine(/^cd examples\//).words[1] as string;
    expect(existsSync(new URL(`${project}/Pulumi.dev.yaml`, root))).toBe(true);
    for (const line of commands.filter((c) => /\bpulumi (preview|up) .*--policy-pack \S/.test(c))) {
      const pack = /--policy-pack (\S+)/.exec(line)?.[1] ?? '';
      expect(existsSync(new URL(`${project}/${pack}/PulumiPolicy.yaml`, root)), line).toBe(true);
    }
  });

  describe('walked through', () => {
    let dataDir: string;
    let stop: AbortController;
    let serving: Promise<number>;
    let serveIo: RecordingIo;
    let env: Record<string, string>;
    let consoleUrl: string;

    beforeAll(async () => {
      dataDir = await mkdtemp(join(tmpdir(), 'clearance-readme-'));
      stop = new AbortController();
      // `npm start` without the build: PORT and CLEARANCE_DATA_DIR as the Quickstart says.
      serveIo = { ...recordingIo({ PORT: '0', CLEARANCE_DATA_DIR: dataDir }), signal: stop.signal };
      serving = main(['serve', '--demo'], serveIo);
      let url: string | undefined;
      for (let i = 0; i < 500 && !url; i++) {
        url = /listening on (http:\/\/\S+)/.exec(serveIo.out())?.[1];
        if (!url) await delay(10);
      }
      if (!url) throw new Error(`the service did not start: ${serveIo.err()}`);
      consoleUrl = /Console: (http:\/\/\S+?)\/?$/m.exec(serveIo.out())?.[1] ?? '';
      const exported = Object.assign(
        {},
        ...commands
          .filter((c) => c.startsWith('export CLEARANCE_'))
          .map((c) => parseCommand(c.slice(7)).env),
      ) as Record<string, string>;
      env = { ...exported, CLEARANCE_URL: url };
    });
    afterAll(async () => {
      stop.abort();
      expect(await serving).toBe(0);
      await rm(dataDir, { recursive: true, force: true });
    });

    async function harness(pattern: RegExp) {
      const { env: extra, words } = commandLine(pattern);
      vi.resetModules();
      const lines: string[] = [];
      const code = await runExample({
        ...parseHarnessArgs(harnessArgv(words)),
        env: { ...env, ...extra },
        out: (line) => lines.push(line),
      });
      return { code, out: lines.join('\n') };
    }

    it('blocks the preview, approves in the console as alice then bob, passes the run, and after the hour asks anew, approved from a terminal', async () => {
      expect(env.CLEARANCE_TOKEN).toBe('demo-carol');
      // 2. Preview an example, without the Pulumi CLI.
      const preview = await harness(/npm run example:preview/);
      expect(preview.code).toBe(1);
      // What the README shows of the output, up to its elisions, at the default port.
      const readmeConsole = `http://localhost:${defaultPort}`;
      const shown = blocks.find((b) => b.lang === '')?.body ?? '';
      expect(shown).toContain('The preview failed');
      for (const line of shown.split('\n').filter(Boolean)) {
        const known = line
          .trim()
          .replace(/^\.\.\. /, '')
          .split('…')[0] as string;
        expect(preview.out.replaceAll(consoleUrl, readmeConsole)).toContain(known);
      }
      const id = new RegExp(`${consoleUrl}/requests/(req_[\\w-]+)`).exec(preview.out)?.[1];
      expect(id).toBeDefined();

      // 3. Approve in the console: alice, then bob, each with the password the README names.
      const step3 = section.slice(section.indexOf('### 3. Approve in the console'));
      expect(step3).toMatch(/sign in as \*\*alice\*\*/);
      expect(section).toContain('console passwords `alice` and\n`bob`');
      const page = `/requests/${id ?? ''}`;
      const decide = async (who: string) => {
        const person = new ConsoleSession(consoleUrl);
        await person.signIn(who, who);
        const form = (await person.get(page)).html;
        const duration = /<option value="(\d+)" selected=""/.exec(form)?.[1] ?? '';
        const done = await person.submit(page, `${page}/review`, {
          decision: 'approve',
          reason: `Debugging, watched by ${who}`,
          durationSeconds: duration,
        });
        expect(done.status, done.html).toBe(303);
        return { person, form, after: (await person.get(page)).html };
      };
      const alice = await decide('alice');
      // What the README says she reads: the rule, port 22, 0.0.0.0/0.
      expect(alice.form).toContain('aws-security-group-open-ingress');
      expect(alice.form).toContain('<code>22</code>');
      expect(alice.form).toContain('<code>0.0.0.0/0</code>');
      expect(alice.after).toContain('1 of 2 managers');
      await alice.person.signOut();
      expect((await alice.person.get(page)).location).toMatch(/^\/login/);
      const bob = await decide('bob');
      expect(bob.after).toContain('<span class="badge approved">approved</span>');
      expect(bob.after.replace(/<[^>]+>/g, '')).toMatch(/Approval ends.*?UTC \(in (1 h|59 min)\)/s);

      // 4. Run it again: the program finds the approval, and the pack lets the rule through.
      const again = await harness(/npm run example:up/);
      expect(again.out).toContain('The up passed.');
      expect(again.out).toContain('SecurityGroupIngressRule debug-ssh');
      expect(again.code).toBe(0);

      // After the hour, the same command no longer declares the rule; asking again opens a new request.
      vi.useFakeTimers({ toFake: ['Date'], shouldAdvanceTime: true });
      try {
        vi.setSystemTime(Date.now() + 61 * 60_000);
        const later = await harness(/npm run example:up/);
        expect(later.code).toBe(0);
        expect(later.out).not.toContain('SecurityGroupIngressRule debug-ssh');
        const anew = await harness(/npm run example:preview/);
        expect(anew.code).toBe(1);
        expect(anew.out).toContain('The earlier approval for this state expired');
        const opened = new RegExp(
          `request was opened \\(0 of 2 managers\\): ${consoleUrl}/requests/(req_[\\w-]+)`,
        );
        const next = opened.exec(anew.out)?.[1];
        expect(next).toMatch(/^req_/);
        expect(next, anew.out).not.toBe(id);

        // From a terminal instead: the README's command, as alice, then the same as bob.
        const approve = commandLine(/npx clearance approve/, next);
        expect(approve.env.CLEARANCE_TOKEN).toBe('demo-alice');
        const progress: string[] = [];
        for (const token of [approve.env.CLEARANCE_TOKEN, 'demo-bob']) {
          const io = recordingIo({ CLEARANCE_URL: env.CLEARANCE_URL, CLEARANCE_TOKEN: token });
          expect(await main(approve.words.slice(2), io), io.err()).toBe(0);
          progress.push(/\d of 2 managers/.exec(io.out())?.[0] ?? io.out());
        }
        expect(progress).toEqual(['1 of 2 managers', '2 of 2 managers']);
      } finally {
        vi.useRealTimers();
      }
    }, 240_000);
  });
});
