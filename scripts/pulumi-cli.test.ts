import { spawnSync } from 'node:child_process';
import { chmod, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { realCliDir } from '../test/real-pulumi/real-cli.js';

/* `npm run pulumi:cli`: what it says without its tools, and that a built CLI is reused. */
const root = fileURLToPath(new URL('..', import.meta.url));
const script = join(root, 'scripts', 'pulumi-cli.ts');
const tsx = join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs');

function run(env: NodeJS.ProcessEnv) {
  const result = spawnSync(process.execPath, [tsx, script], { cwd: root, env, encoding: 'utf8' });
  return { code: result.status, out: result.stdout, err: result.stderr };
}

describe('npm run pulumi:cli', () => {
  let bare: string;
  beforeAll(async () => {
    // A PATH with node alone: no Go, no pulumi.
    bare = await mkdtemp(join(tmpdir(), 'clearance-bare-path-'));
    await symlink(process.execPath, join(bare, 'node'));
  });
  afterAll(() => rm(bare, { recursive: true, force: true }));

  it('without Go or pulumi, says what is missing and skips, outside CI', () => {
    const { code, err } = run({ PATH: bare, HOME: bare });
    expect(code).toBe(0);
    expect(err).toContain('SKIPPING the real-engine tests');
    expect(err).toContain('neither the Pulumi CLI v3.248.0 nor Go');
    expect(err).not.toMatch(/\n\s+at /);
  });

  it('without Go or pulumi, fails under CI=true', () => {
    const { code, err } = run({ PATH: bare, HOME: bare, CI: 'true' });
    expect(code).toBe(1);
    expect(err).toContain('pulumi:cli: neither the Pulumi CLI v3.248.0 nor Go');
  });

  it('uses a pulumi of the pinned version found on PATH, and builds nothing', async () => {
    const own = join(bare, 'own');
    await rm(own, { recursive: true, force: true });
    await mkdir(own);
    for (const name of ['pulumi', 'pulumi-language-nodejs']) {
      await writeFile(join(own, name), '#!/bin/sh\necho v3.248.0\n');
      await chmod(join(own, name), 0o755);
    }
    const { code, out } = run({ PATH: `${own}:${bare}`, HOME: bare });
    expect(code).toBe(0);
    expect(out.trim()).toBe(`pulumi v3.248.0 (found on PATH): ${own}`);
  });

  it.runIf(realCliDir() !== undefined)('reuses a built CLI and prints where it is', () => {
    const { code, out } = run({
      ...process.env,
      PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ''}`,
    });
    expect(code).toBe(0);
    expect(out.trim()).toMatch(/^pulumi v3\.248\.0 \((reused from the cache|found on PATH)\): /);
  });
});
