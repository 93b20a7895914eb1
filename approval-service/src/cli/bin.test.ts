import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const bin = fileURLToPath(new URL('../../bin/clearance.js', import.meta.url));

/** Runs a copy of bin/clearance.js in a package folder laid out like approval-service/. */
async function runBin(dir: string, args: string[]) {
  return run(process.execPath, [join(dir, 'bin', 'clearance.js'), ...args]).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (err: { code: number; stdout: string; stderr: string }) => err,
  );
}

describe('bin/clearance.js', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'clearance-bin-'));
    await mkdir(join(dir, 'bin'));
    await copyFile(bin, join(dir, 'bin', 'clearance.js'));
    await writeFile(join(dir, 'package.json'), '{"type":"module"}\n');
  });

  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('says in one line what to run when the CLI is not built, and fails', async () => {
    const result = await runBin(dir, ['--help']);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      'clearance is not built yet: run `npm run build` in the repository first\n',
    );
  });

  it('runs the built CLI once it is there', async () => {
    await mkdir(join(dir, 'dist', 'cli'), { recursive: true });
    await writeFile(
      join(dir, 'dist', 'cli', 'main.js'),
      'export async function runCli() { console.log(`ran with ${process.argv.slice(2).join(" ")}`); }\n',
    );
    const result = await runBin(dir, ['--help']);
    expect(result).toMatchObject({ code: 0, stdout: 'ran with --help\n', stderr: '' });
  });
});
