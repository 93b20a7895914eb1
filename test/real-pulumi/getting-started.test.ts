import { spawn, type ChildProcess } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, rm, symlink } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConsoleSession } from '../e2e/console-session.js';
import { realCliAvailable, realCliDir, standInAwsBin } from './real-cli.js';
import { mandatoryLine } from './real-example.js';

/*
 * The README's "Getting started" with the real `pulumi` CLI, as a user types it: the demo
 * service as `npm start` runs it, then the "With the Pulumi CLI" commands in
 * examples/aws-temporary-ssh, the approvals (alice in the console, bob from a terminal), and
 * `pulumi up` again. Only the AWS provider is a stand-in (first on PATH), and HOME is a
 * temporary folder.
 */
const root = fileURLToPath(new URL('../..', import.meta.url));
const readme = await readFile(join(root, 'README.md'), 'utf8');
const section = readme.slice(
  readme.indexOf('## Getting started'),
  readme.indexOf('## How it works'),
);

/** The lines of the first `sh` block after `heading`, comments dropped. */
function shLines(heading: string): string[] {
  const at = section.indexOf(heading);
  if (at < 0) throw new Error(`the README's Getting started has no "${heading}"`);
  const block = /```sh\n([\s\S]*?)```/.exec(section.slice(at))?.[1] ?? '';
  return block
    .split('\n')
    .map((l) => l.replace(/\s+#.*$/, '').trim())
    .filter(Boolean);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(),
      );
    });
  });
}

function bash(script: string, cwd: string, env: NodeJS.ProcessEnv) {
  return new Promise<{ code: number; output: string }>((resolve, reject) => {
    const child = spawn('bash', ['-c', script], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, output }));
  });
}

describe.runIf(realCliAvailable('getting started'))(
  'the README walkthrough with the real CLI',
  () => {
    let base: string;
    let service: ChildProcess;
    let env: NodeJS.ProcessEnv;
    beforeAll(async () => {
      base = await mkdtemp(join(tmpdir(), 'clearance-walkthrough-'));
      // The repository's layout, as far as the commands reach: examples/<example> and policy-pack.
      const example = join(base, 'examples', 'aws-temporary-ssh');
      await mkdir(join(base, 'examples'), { recursive: true });
      await cp(join(root, 'examples', 'aws-temporary-ssh'), example, {
        recursive: true,
        filter: (src) => !/[\\/](node_modules|test)$/.test(src),
      });
      await symlink(join(root, 'node_modules'), join(example, 'node_modules'));
      await symlink(join(root, 'policy-pack'), join(base, 'policy-pack'));
      await mkdir(join(base, 'home'));
      await mkdir(join(base, 'state'));

      const port = await freePort();
      service = spawn(
        process.execPath,
        [join(root, 'approval-service', 'dist', 'cli', 'main.js'), 'serve', '--demo'],
        {
          env: { ...process.env, PORT: String(port), CLEARANCE_DATA_DIR: join(base, 'data') },
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      const lines = createInterface({ input: service.stdout! });
      await new Promise<void>((resolve, reject) => {
        lines.on('line', (line) => line.startsWith('Console:') && resolve());
        service.on('exit', () => reject(new Error('the demo service did not start')));
      });
      env = {
        ...process.env,
        HOME: join(base, 'home'),
        // `pulumi login --local` means the user's own ~/.pulumi (from the password database, not
        // HOME): the test logs in to a temporary file backend instead (see `typed` below).
        PULUMI_HOME: join(base, 'home', '.pulumi'),
        PULUMI_BACKEND_URL: `file://${join(base, 'state')}`,
        PATH: [standInAwsBin, realCliDir(), process.env.PATH].join(delimiter),
        PULUMI_SKIP_UPDATE_CHECK: 'true',
        PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: 'true',
        CLEARANCE_URL: `http://127.0.0.1:${port}`,
        CLEARANCE_TOKEN: 'demo-carol',
      };
      for (const name of ['PULUMI_ACCESS_TOKEN', 'VITEST', 'NODE_ENV']) {
        delete env[name];
      }
    }, 60_000);
    afterAll(async () => {
      service?.kill();
      if (base) await rm(base, { recursive: true, force: true });
    });

    it('blocks the preview with the link, approves in the console as alice and from a terminal as bob, and `pulumi up` passes', async () => {
      // As typed, but for the one line that would write to the user's home.
      const typed = shLines('#### With the Pulumi CLI').map((l) =>
        l === 'pulumi login --local' ? 'pulumi login "$PULUMI_BACKEND_URL"' : l,
      );
      expect(typed).toContain('pulumi login "$PULUMI_BACKEND_URL"');
      const preview = await bash(typed.join('\n'), base, env);
      expect(preview.code).not.toBe(0);
      expect(preview.output).toMatch(mandatoryLine('aws-security-group-open-ingress'));
      expect(preview.output).toContain('(0 of 2 managers)');
      const link = /http:\/\/localhost:\d+\/requests\/(req_[\w-]+)/.exec(preview.output)?.[1];
      expect(link).toMatch(/^req_/);

      const approve = /`(CLEARANCE_TOKEN=demo-alice npx clearance approve <id> --reason "…")`/.exec(
        section,
      )?.[1];
      expect(approve).toBeDefined();
      const example = join(base, 'examples', 'aws-temporary-ssh');
      // 3. Approve in the console as alice; then, from a terminal instead, the same as bob.
      const page = `/requests/${link ?? ''}`;
      const alice = new ConsoleSession(env.CLEARANCE_URL ?? '');
      await alice.signIn('alice', 'alice');
      const form = (await alice.get(page)).html;
      expect(form).toContain('<code>0.0.0.0/0</code>');
      const duration = /<option value="(\d+)" selected=""/.exec(form)?.[1] ?? '';
      const decided = await alice.submit(page, `${page}/review`, {
        decision: 'approve',
        reason: 'Debugging, watched',
        durationSeconds: duration,
      });
      expect(decided.status, decided.html).toBe(303);
      expect((await alice.get(page)).html).toContain('1 of 2 managers');
      const line = (approve ?? '').replace('<id>', link ?? '').replace('demo-alice', 'demo-bob');
      const approved = await bash(line, example, env);
      expect(approved.code, approved.output).toBe(0);
      expect(approved.output).toContain('2 of 2 managers');

      const again = shLines('### 4. Run it again').find((l) => l.startsWith('pulumi up'));
      expect(again).toBeDefined();
      const up = await bash(`export PULUMI_CONFIG_PASSPHRASE=\n${again ?? ''}`, example, env);
      expect(up.code, up.output).toBe(0);
      expect(up.output).toContain('temporary debug-ssh is approved until');
      expect(up.output).toContain('aws:vpc:SecurityGroupIngressRule debug-ssh created');
    }, 240_000);
  },
);
