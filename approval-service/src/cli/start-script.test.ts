import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { access, mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

/**
 * `npm start` runs the built CLI; these tests run the same arguments on its source in a child
 * process, with the environment a user would set, and stop it as Ctrl-C would.
 */
const rootPackage = JSON.parse(
  readFileSync(new URL('../../../package.json', import.meta.url), 'utf8'),
) as { scripts: Record<string, string> };
const cliSource = fileURLToPath(new URL('./main.ts', import.meta.url));
const tsxLoader = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

function startArguments(): string[] {
  const command = rootPackage.scripts.start?.split('&&').at(-1)?.trim() ?? '';
  const match = /^node approval-service\/dist\/cli\/main\.js (.+)$/.exec(command);
  if (!match?.[1]) throw new Error(`npm start does not run the CLI: "${command}"`);
  return match[1].split(/\s+/);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

/** Starts what `npm start` starts, waits until it serves, and returns what it printed once stopped. */
async function runStart(
  cwd: string,
  env: Record<string, string>,
): Promise<{ out: string; code: number | null }> {
  const child = spawn(process.execPath, ['--import', tsxLoader, cliSource, ...startArguments()], {
    cwd,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
  // 'close' rather than 'exit': by then everything the process printed has been read.
  const exited = new Promise<number | null>((resolve) =>
    child.once('close', (code) => resolve(code)),
  );
  try {
    const deadline = Date.now() + 30_000;
    while (!out.includes('Data directory:')) {
      if (child.exitCode !== null || Date.now() > deadline) {
        throw new Error(`npm start did not come up:\n${out}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const url = /listening on (http:\/\/\S+)/.exec(out)?.[1] ?? '';
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    child.kill('SIGINT');
    const code = await exited;
    return { out, code };
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
  }
}

let cwd: string;
beforeEach(async () => {
  cwd = await mkdtemp(join(tmpdir(), 'clearance-start-'));
});
afterEach(() => rm(cwd, { recursive: true, force: true }));

describe('npm start', () => {
  it('builds everything first, the policy pack included, so an example runs after it', () => {
    const steps = rootPackage.scripts.start?.split('&&').map((step) => step.trim());
    expect(steps?.[0]).toBe('npm run build');
    expect(rootPackage.scripts.build).toContain('npm run build -w policy-pack');
  });

  it('runs the demo service, on PORT and in ./data by default', async () => {
    const port = await freePort();
    const { out, code } = await runStart(cwd, { PORT: String(port) });
    expect(out).toContain(`listening on http://127.0.0.1:${port}`);
    expect(out).toContain(`Console: http://localhost:${port}/`);
    expect(out).toContain('WARNING: running on the DEMO configuration');
    expect(out).toContain(`Data directory: ${join(cwd, 'data')}`);
    await access(join(cwd, 'data', 'db.json'));
    expect(out).toContain('Stopping…');
    expect(code).toBe(0);
  });

  it('keeps its data in CLEARANCE_DATA_DIR', async () => {
    const port = await freePort();
    const dataDir = join(cwd, 'elsewhere');
    const { out, code } = await runStart(cwd, { PORT: String(port), CLEARANCE_DATA_DIR: dataDir });
    expect(out).toContain(`listening on http://127.0.0.1:${port}`);
    expect(out).toContain(`Data directory: ${dataDir}`);
    await access(join(dataDir, 'db.json'));
    await expect(access(join(cwd, 'data'))).rejects.toThrow();
    expect(out).toContain('Stopping…');
    expect(code).toBe(0);
  });
});
