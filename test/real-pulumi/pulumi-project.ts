import { spawn } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import { prebuildProgram } from './prebuilt-program.js';
import { realCliDir, standInAwsBin } from './real-cli.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
/** The policy pack folder, as a user passes it to `--policy-pack`. */
export const packDir = join(root, 'policy-pack');
const shiftedClock = join(root, 'test', 'e2e', 'fixtures', 'shifted-clock.mjs');

export interface PulumiResult {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout and stderr together, as a user reads them in a terminal. */
  output: string;
}

export interface RunOptions {
  /** Extra environment for this run only (CLEARANCE_REQUEST...). */
  env?: Record<string, string>;
  /** The moment the program, the pack and the provider live at (the service's manual clock). */
  now?: Date;
  timeoutMs?: number;
}

export interface PulumiProject {
  /** The copy of the example the CLI runs in (its own Pulumi.<stack>.yaml, node_modules linked). */
  dir: string;
  stack: string;
  /** `organization/<project>/<stack>`, the name the local backend gives the stack. */
  stackName: string;
  pulumi(args: string[], options?: RunOptions): Promise<PulumiResult>;
  /** `pulumi preview --policy-pack policy-pack`, non-interactive. */
  preview(args?: string[], options?: RunOptions): Promise<PulumiResult>;
  /** `pulumi up --yes --policy-pack policy-pack`, non-interactive. */
  up(args?: string[], options?: RunOptions): Promise<PulumiResult>;
  /** The stack's resources as the state holds them (`pulumi stack export`). */
  resources(): Promise<{ urn: string; type: string; inputs?: Record<string, unknown> }[]>;
  close(): Promise<void>;
}

export interface ProjectOptions {
  /** `examples/<example>` to copy, or a folder of a test's own program. */
  source: string;
  stack: string;
  /** Stack config, keys as `namespace:key`, written to Pulumi.<stack>.yaml. */
  config: Record<string, string>;
  /** Environment of every run: CLEARANCE_URL, CLEARANCE_TOKEN... */
  env: Record<string, string>;
  /**
   * Run the program as JavaScript bundled once, not through its `--import tsx` loader (see
   * prebuilt-program.ts). The README walkthrough runs each example as shipped.
   */
  prebuilt?: boolean;
}

/** The directory of a shipped example. */
export const exampleDir = (example: string): string => join(root, 'examples', example);

function run(
  bin: string,
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
  timeoutMs: number,
): Promise<PulumiResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let output = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      output += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      output += d.toString();
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`pulumi ${args.join(' ')} timed out after ${timeoutMs} ms\n${output}`));
    }, timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr, output });
    });
  });
}

/**
 * Copies a Pulumi program into a temporary folder with its own PULUMI_HOME and a local file
 * backend, creates the stack, and runs the real CLI there. The stand-in AWS provider comes first
 * on PATH; nothing reaches the network or the Pulumi Cloud.
 */
export async function createPulumiProject(options: ProjectOptions): Promise<PulumiProject> {
  const cliDir = realCliDir();
  if (cliDir === undefined) throw new Error('the real Pulumi CLI is not available');
  const base = await mkdtemp(join(tmpdir(), 'clearance-real-pulumi-'));
  const dir = join(base, 'project');
  const home = join(base, 'home');
  const backend = join(base, 'backend');
  await Promise.all([mkdir(home), mkdir(backend)]);
  await cp(options.source, dir, {
    recursive: true,
    filter: (src) => !/[\\/](node_modules|test)$/.test(src) && !/Pulumi\.[^/]+\.yaml$/.test(src),
  });
  await symlink(join(root, 'node_modules'), join(dir, 'node_modules'));
  if (options.prebuilt === true) await prebuildProgram(dir);
  await writeFile(join(dir, `Pulumi.${options.stack}.yaml`), stringify({ config: options.config }));
  const project = (await readFile(join(dir, 'Pulumi.yaml'), 'utf8')).match(/^name:\s*(\S+)/m)?.[1];
  if (project === undefined) throw new Error(`no project name in ${options.source}/Pulumi.yaml`);

  const baseEnv = (extra: RunOptions): NodeJS.ProcessEnv => {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PATH: [standInAwsBin, cliDir, process.env.PATH ?? ''].join(delimiter),
      PULUMI_HOME: home,
      PULUMI_BACKEND_URL: `file://${backend}`,
      PULUMI_CONFIG_PASSPHRASE: 'real-cli-tests',
      PULUMI_SKIP_UPDATE_CHECK: 'true',
      PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: 'true',
      ...options.env,
      ...extra.env,
    };
    // Vitest's own variables would change how the program and the pack behave.
    delete env.VITEST;
    delete env.VITEST_WORKER_ID;
    delete env.VITEST_POOL_ID;
    delete env.NODE_ENV;
    delete env.PULUMI_ACCESS_TOKEN;
    if (extra.now !== undefined) {
      env.CLEARANCE_TEST_CLOCK_OFFSET_MS = String(extra.now.getTime() - Date.now());
      env.NODE_OPTIONS = `--import=${shiftedClock}`;
    }
    return env;
  };
  const pulumi = (args: string[], extra: RunOptions = {}) =>
    run(
      join(cliDir, 'pulumi'),
      [...args, '--non-interactive'],
      dir,
      baseEnv(extra),
      extra.timeoutMs ?? 120_000,
    );

  const init = await pulumi(['stack', 'init', options.stack]);
  if (init.code !== 0) throw new Error(`pulumi stack init failed:\n${init.output}`);

  return {
    dir,
    stack: options.stack,
    stackName: `organization/${project}/${options.stack}`,
    pulumi,
    preview: (args = [], extra) =>
      pulumi(['preview', '--stack', options.stack, '--policy-pack', packDir, ...args], extra),
    up: (args = [], extra) =>
      pulumi(['up', '--yes', '--stack', options.stack, '--policy-pack', packDir, ...args], extra),
    resources: async () => {
      // The local backend's checkpoint file: what `pulumi stack export` prints, without a CLI start.
      const file = join(backend, '.pulumi', 'stacks', project, `${options.stack}.json`);
      const text = await readFile(file, 'utf8').catch((err: NodeJS.ErrnoException) => {
        if (err.code === 'ENOENT') return '{}';
        throw err;
      });
      const state = JSON.parse(text) as {
        checkpoint?: {
          latest?: {
            resources?: { urn: string; type: string; inputs?: Record<string, unknown> }[];
          };
        };
      };
      return state.checkpoint?.latest?.resources ?? [];
    },
    close: () => rm(base, { recursive: true, force: true }),
  };
}
