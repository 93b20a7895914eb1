import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiToken } from '../e2e/e2e-service.js';
import { clearanceCli } from './gate-preview-run.js';
import { realCliAvailable } from './real-cli.js';
import { consoleLinks, startRealExample, type RealExample } from './real-example.js';

/*
 * What is gated is what is applied (examples/ci): the gated preview saves Pulumi's update plan
 * (`pulumi preview --json --save-plan`), `clearance gate-preview` gates that preview's deletes and
 * replacements, and `pulumi up --plan` applies the plan, refusing any operation beyond it. Real
 * `pulumi` CLI; the AWS provider is the stand-in.
 */
const dbUrn = 'urn:pulumi:prod::aws-prod-database::aws:rds/instance:Instance::orders';
/** `pulumi up --plan` is experimental in the Pulumi CLI: the pipelines set this too. */
const experimental = { PULUMI_EXPERIMENTAL: 'true' };

describe.runIf(realCliAvailable('gated plan'))('pulumi up --plan applies the gated preview', () => {
  let ex: RealExample;
  beforeAll(async () => {
    ex = await startRealExample('aws-prod-database', {
      stack: 'prod',
      config: { 'aws:region': 'eu-west-1', 'aws-prod-database:vpcId': 'vpc-0abc' },
    });
    const up = await ex.up();
    if (up.code !== 0) throw new Error(`the first deployment failed:\n${up.output}`);
  }, 180_000);
  afterAll(() => ex?.close());

  /** `pulumi preview --json --save-plan FILE`, as the pipelines run it; the preview's file. */
  async function gatedPreview(name: string, args: string[] = []) {
    const plan = join(ex.project.dir, `${name}.plan.json`);
    const preview = await ex.project.pulumi(
      ['preview', '--json', '--stack', 'prod', '--save-plan', plan, ...args],
      { now: ex.svc.clock.now() },
    );
    expect(preview.code, preview.stderr).toBe(0);
    const file = join(ex.project.dir, `${name}.preview.json`);
    await writeFile(file, preview.stdout);
    return { plan, file };
  }
  const gate = (file: string) =>
    clearanceCli(['gate-preview', file, '--stack', ex.project.stackName], {
      env: { CLEARANCE_URL: ex.svc.server.url, CLEARANCE_TOKEN: apiToken('carol') },
      now: ex.svc.clock.now(),
    });
  /** The database's physical id in the state: a replacement gives it a new one. */
  const dbId = async () =>
    ((await ex.project.resources()).find((r) => r.urn === dbUrn) as { id?: string } | undefined)
      ?.id;

  it('applies a replacement that was gated and approved, with the plan of that preview', async () => {
    const { plan, file } = await gatedPreview('replace', ['--replace', dbUrn]);
    expect(JSON.parse(await readFile(plan, 'utf8'))).toHaveProperty('resourcePlans');
    const blocked = await gate(file);
    expect(blocked.code, blocked.out + blocked.err).toBe(1);
    expect(blocked.out).toContain('BLOCKED replace aws:rds/instance:Instance "orders"');
    const [id = ''] = consoleLinks(blocked.out, ex.svc.server.consoleUrl);
    for (const user of ['dana', 'erin'] as const)
      await ex.svc.client(user).review(id, { decision: 'approve', reason: 'OPS-42' });
    expect((await gate(file)).code).toBe(0);
    const up = await ex.up(experimental, ['--plan', plan, '--replace', dbUrn]);
    expect(up.code, up.output).toBe(0);
    expect(up.output).toMatch(/1 replaced/);
  }, 300_000);

  it('refuses an update that would do more than the gated plan: an ungated replacement', async () => {
    const { plan, file } = await gatedPreview('nothing');
    const gated = await gate(file);
    expect(gated.code, gated.out).toBe(0);
    expect(gated.out).toContain('No delete or replacement');
    const before = await dbId();
    const drift = await ex.up(experimental, ['--plan', plan, '--replace', dbUrn]);
    expect(drift.code).not.toBe(0);
    expect(drift.output).toContain(`resource ${dbUrn} violates plan`);
    expect(await dbId()).toBe(before);
  }, 300_000);
});
