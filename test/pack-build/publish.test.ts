import { execFile } from 'node:child_process';
import { access, copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { isBuiltin } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { buildPack, bundlePath } from '../../policy-pack/build.mjs';

const run = promisify(execFile);
const packDir = fileURLToPath(new URL('../../policy-pack/', import.meta.url));

interface Manifest {
  main: string;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

const manifest = JSON.parse(await readFile(path.join(packDir, 'package.json'), 'utf8')) as Manifest;

/** The package a bare module specifier names: `@scope/name` or `name`. */
function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

/** Every module specifier the bundle loads at run time (static and dynamic imports, requires). */
function runtimeSpecifiers(code: string): string[] {
  const found = new Set<string>();
  const patterns = [
    /\bfrom\s*"([^"]+)"/g,
    /\bimport\s*"([^"]+)"/g,
    /\bimport\(\s*"([^"]+)"\s*\)/g,
    /\brequire\(\s*"([^"]+)"\s*\)/g,
  ];
  for (const pattern of patterns) for (const m of code.matchAll(pattern)) found.add(m[1]!);
  return [...found];
}

describe('the policy pack as `pulumi policy publish` ships it', { timeout: 60_000 }, () => {
  let dir: string;
  let bundle: string;

  beforeAll(async () => {
    // The pack's manifest and bundle, with sources beside them as in the pack's own directory.
    dir = await mkdtemp(path.join(os.tmpdir(), 'clearance-pack-publish-'));
    for (const file of ['package.json', 'PulumiPolicy.yaml']) {
      await copyFile(path.join(packDir, file), path.join(dir, file));
    }
    const outfile = path.join(dir, manifest.main);
    await buildPack({ outfile });
    bundle = await readFile(outfile, 'utf8');
    await mkdir(path.join(dir, 'src'));
    await writeFile(path.join(dir, 'src', 'index.ts'), 'export {};\n');
    await writeFile(path.join(dir, 'build.mjs'), '\n');
  });

  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('is a nodejs policy pack whose main is the bundle the build writes', async () => {
    const project = parse(await readFile(path.join(packDir, 'PulumiPolicy.yaml'), 'utf8')) as {
      runtime?: unknown;
    };
    expect(project.runtime).toBe('nodejs');
    expect(bundlePath).toBe(path.join(packDir, manifest.main));
    expect(manifest.main).toMatch(/\.js$/);
  });

  it('npm pack prints only the tarball name (publish reads it so), holding manifest, project and bundle only', async () => {
    const { stdout } = await run('npm', ['pack', '--loglevel=error'], { cwd: dir });
    const tarball = path.join(dir, stdout.trim());
    await access(tarball);
    const { stdout: listing } = await run('tar', ['-tzf', tarball]);
    const files = listing
      .trim()
      .split('\n')
      .map((f) => f.replace(/^package\//, ''));
    expect(files).toEqual(
      expect.arrayContaining(['package.json', 'PulumiPolicy.yaml', manifest.main]),
    );
    expect(files.filter((f) => f.startsWith('src/') || f === 'build.mjs')).toEqual([]);
  });

  it('loads at run time only Node built-ins and its declared dependencies', () => {
    const packages = runtimeSpecifiers(bundle)
      .filter((s) => !s.startsWith('.') && !isBuiltin(s))
      .map(packageName);
    expect(packages).toContain('@pulumi/policy');
    for (const name of packages) expect(Object.keys(manifest.dependencies ?? {})).toContain(name);
  });

  it('depends at run time on the Pulumi SDKs only: @pulumi/aws gives types, the shared client is bundled', () => {
    expect(Object.keys(manifest.dependencies ?? {}).sort()).toEqual([
      '@pulumi/policy',
      '@pulumi/pulumi',
    ]);
    expect(Object.keys(manifest.devDependencies ?? {})).toContain('@pulumi/aws');
  });
});
