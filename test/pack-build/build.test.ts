import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPack } from '../../policy-pack/build.mjs';

const run = promisify(execFile);

describe('policy pack build', () => {
  let dir: string;
  let outfile: string;
  let inputs: string[];

  beforeAll(async () => {
    // Inside the repository, so that the entry resolves the workspace packages as the pack does.
    const scratch = fileURLToPath(new URL('../../.tmp/', import.meta.url));
    await mkdir(scratch, { recursive: true });
    dir = await mkdtemp(path.join(scratch, 'pack-build-'));
    outfile = path.join(dir, 'dist', 'index.js');
    // Like the pack's own package.json: the output is loaded as an ES module.
    await writeFile(path.join(dir, 'package.json'), '{"type":"module"}\n');
    await writeFile(
      path.join(dir, 'legacy.cjs'),
      "module.exports = require('node:path').posix.join('a', 'b');\n",
    );
    await writeFile(
      path.join(dir, 'entry.ts'),
      [
        "import { canonicalJson } from '@clearance/client';",
        "import joined from './legacy.cjs';",
        'const data: Record<string, number> = { b: 1, a: 2 };',
        'console.log(canonicalJson(data), joined);',
        '',
      ].join('\n'),
    );
    const result = await buildPack({ entry: path.join(dir, 'entry.ts'), outfile });
    inputs = Object.keys(result.metafile.inputs);
  });

  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('bundles the shared client from source with its dependencies', () => {
    expect(inputs).toContain('../packages/client/src/fingerprint.ts');
    expect(inputs.some((input) => input.includes('node_modules/canonicalize/'))).toBe(true);
    expect(inputs.some((input) => input.includes('node_modules/zod/'))).toBe(true);
  });

  it('emits an ES module that runs on its own, CommonJS dependencies included', async () => {
    const { stdout } = await run(process.execPath, [outfile], { cwd: dir });
    expect(stdout.trim()).toBe('{"a":2,"b":1} a/b');
  });

  it('leaves the Pulumi packages to node_modules', async () => {
    const entry = path.join(dir, 'pulumi-entry.ts');
    await writeFile(
      entry,
      [
        "import { PolicyPack } from '@pulumi/policy';",
        "import * as pulumi from '@pulumi/pulumi';",
        "import { ec2 } from '@pulumi/aws';",
        "import { unknownValue } from '@pulumi/pulumi/runtime/rpc';",
        'console.log(PolicyPack, pulumi, ec2, unknownValue);',
        '',
      ].join('\n'),
    );
    const out = path.join(dir, 'pulumi', 'index.js');
    const result = await buildPack({ entry, outfile: out });
    expect(
      Object.keys(result.metafile.inputs).filter((input) => input.includes('@pulumi/')),
    ).toEqual([]);
    const code = await readFile(out, 'utf8');
    for (const name of [
      '@pulumi/policy',
      '@pulumi/pulumi',
      '@pulumi/aws',
      '@pulumi/pulumi/runtime/rpc',
    ]) {
      expect(code).toContain(`from "${name}"`);
    }
  });
});
