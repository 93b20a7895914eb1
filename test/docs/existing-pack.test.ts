import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPack } from '../../policy-pack/build.mjs';
import { runEngine } from '../engine/index.js';
import { mandatory, prod, serviceEnv } from '../pack/pack-fixtures.js';
import { PUBLIC_URL, startTestService, type TestService } from '../pack/test-service.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const heading = '### Add approvals to an existing pack';

/** The TypeScript block of the README's section: the pack a team would write. */
async function sectionCode(): Promise<string> {
  const readme = await readFile(path.join(root, 'README.md'), 'utf8');
  const start = readme.indexOf(heading);
  expect(start, 'README section').toBeGreaterThan(-1);
  const section = readme.slice(start, readme.indexOf('\n## ', start));
  const block = /```ts\n([\s\S]*?)```/.exec(section)?.[1];
  if (block === undefined) throw new Error(`no ts code block under "${heading}"`);
  return block.replace(/^ {3}/gm, '');
}

const bucket = (name: string, tags: Record<string, string>) => ({
  type: 'aws:s3/bucket:Bucket',
  name,
  properties: { bucket: name, tags },
});

/*
 * The README's "Add approvals to an existing pack" runs as written: its code is a pack's entry,
 * built as a team's pack is (the library bundled in) and run by the engine harness against the
 * approval service.
 */
describe('the README section "Add approvals to an existing pack"', { timeout: 120_000 }, () => {
  let dir: string;
  let svc: TestService;

  beforeAll(async () => {
    // Inside the repository, so that the Pulumi packages resolve from its node_modules.
    await mkdir(path.join(root, '.tmp'), { recursive: true });
    dir = await mkdtemp(path.join(root, '.tmp', 'readme-pack-'));
    await writeFile(path.join(dir, 'index.ts'), await sectionCode());
    await writeFile(path.join(dir, 'PulumiPolicy.yaml'), 'runtime: nodejs\n');
    await writeFile(
      path.join(dir, 'package.json'),
      JSON.stringify({ name: 'my-pack', version: '0.1.0', type: 'module', main: 'dist/index.js' }),
    );
    await buildPack({
      entry: path.join(dir, 'index.ts'),
      outfile: path.join(dir, 'dist/index.js'),
    });
    svc = await startTestService({ memoryStore: true });
  });

  afterAll(async () => {
    await svc?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('stops a violating resource with the policy’s own message and the approval link; a compliant one passes', async () => {
    const run = await runEngine({
      packDir: dir,
      stack: prod,
      dryRun: true,
      env: serviceEnv(svc),
      resources: [bucket('untagged', { env: 'prod' }), bucket('tagged', { team: 'web' })],
    });
    const [violation, ...rest] = mandatory(run.diagnostics);
    expect(rest).toEqual([]);
    expect(violation?.policyName).toBe('buckets-are-tagged');
    expect(violation?.message).toContain('The bucket has no team tag');
    expect(violation?.message).toContain(`${PUBLIC_URL}/requests/`);
    expect(violation?.message).toContain('untagged');
  });
});
