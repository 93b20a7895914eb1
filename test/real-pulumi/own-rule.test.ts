import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildExamplePack, withPack } from './example-pack.js';
import { realCliAvailable } from './real-cli.js';
import { consoleLinks, mandatoryLine, startRealExample, type RealExample } from './real-example.js';

/*
 * examples/own-rule under the real `pulumi` CLI (AWS provider: the stand-in): a team's own
 * SensitiveRule, in one file, in its own pack through clearancePolicies.
 */
const instanceUrn = 'urn:pulumi:dev::own-rule::aws:ec2/instance:Instance::trainer';

describe.runIf(realCliAvailable('own-rule'))('own-rule under the real CLI', () => {
  let ex: RealExample;
  let pack: ReturnType<typeof withPack>;
  beforeAll(async () => {
    ex = await startRealExample('own-rule', {
      stack: 'dev',
      config: { 'aws:region': 'eu-west-1' },
    });
    pack = withPack(ex, await buildExamplePack('own-rule'));
  }, 120_000);
  afterAll(() => ex?.close());

  it('the team’s rule blocks the GPU instance with the link, and its approval lets it through', async () => {
    const preview = await pack.preview();
    expect(preview.code, preview.output).not.toBe(0);
    expect(preview.output).toMatch(mandatoryLine('gpu-instance'));
    expect(preview.output).toContain('GPU instance type g5.xlarge');
    const [id, ...more] = consoleLinks(preview.output, ex.svc.server.consoleUrl);
    expect(more).toEqual([]);
    await ex.svc.client('bob').review(id ?? '', { decision: 'approve', reason: 'model training' });
    const up = await pack.up();
    expect(up.code, up.output).toBe(0);
    expect(await ex.urns()).toContain(instanceUrn);
  }, 240_000);
});
