import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { isBuiltin } from 'node:module';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { buildExamplePack } from '../real-pulumi/example-pack.js';

const run = promisify(execFile);

interface Manifest {
  main: string;
  files: string[];
  dependencies: Record<string, string>;
}

/** Every bare module specifier the bundle loads at run time (imports and requires). */
function runtimePackages(code: string): string[] {
  const found = new Set<string>();
  for (const pattern of [
    /\bfrom\s*"([^"./][^"]*)"/g,
    /\bimport\(\s*"([^"./][^"]*)"\s*\)/g,
    /\brequire\(\s*"([^"./][^"]*)"\s*\)/g,
    /\brequire\d*\(\s*`([^`./][^`$]*)/g,
  ]) {
    for (const m of code.matchAll(pattern)) {
      const spec = m[1] as string;
      if (isBuiltin(spec)) continue;
      const parts = spec.split('/');
      found.add(spec.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] as string));
    }
  }
  return [...found].sort();
}

/*
 * A team's pack built on the library (examples/awsguard-exceptions/pack), as
 * `pulumi policy publish` ships it: publish runs `npm pack` in the pack's folder and uploads that
 * tarball, and the service installs its `dependencies`.
 */
describe('a team pack using @clearance/policy-pack, as `pulumi policy publish` ships it', () => {
  let dir: string;
  let manifest: Manifest;
  let files: string[];
  let tarball = '';

  beforeAll(async () => {
    dir = await buildExamplePack('awsguard-exceptions');
    manifest = JSON.parse(await readFile(path.join(dir, 'package.json'), 'utf8')) as Manifest;
    const { stdout } = await run('npm', ['pack', '--loglevel=error'], { cwd: dir });
    tarball = path.join(dir, stdout.trim());
    const { stdout: listing } = await run('tar', ['-tzf', tarball]);
    files = listing
      .trim()
      .split('\n')
      .map((f) => f.replace(/^package\//, ''));
  }, 120_000);

  afterAll(async () => {
    if (tarball) await run('rm', ['-f', tarball]);
  });

  it('is a nodejs policy pack whose main is the bundle', async () => {
    const project = parse(await readFile(path.join(dir, 'PulumiPolicy.yaml'), 'utf8')) as {
      runtime?: unknown;
    };
    expect(project.runtime).toBe('nodejs');
    expect(manifest.main).toBe('dist/index.js');
  });

  it('publishes the manifest, the project file and the bundle, no sources', () => {
    expect(files).toEqual(
      expect.arrayContaining(['package.json', 'PulumiPolicy.yaml', 'dist/index.js']),
    );
    expect(files.filter((f) => f.endsWith('.ts') || f === 'build.mjs')).toEqual([]);
  });

  it('bundles the Clearance library, and loads at run time only its declared dependencies', async () => {
    const bundle = await readFile(path.join(dir, manifest.main), 'utf8');
    expect(bundle).toContain('function requireApproval(');
    const packages = runtimePackages(bundle);
    expect(packages).toEqual(expect.arrayContaining(['@pulumi/awsguard', '@pulumi/policy']));
    for (const name of packages) expect(Object.keys(manifest.dependencies)).toContain(name);
    expect(Object.keys(manifest.dependencies)).not.toContain('@clearance/policy-pack');
  });
});
