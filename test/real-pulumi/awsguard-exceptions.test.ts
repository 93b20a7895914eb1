import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { E2E_START } from '../e2e/e2e-service.js';
import { buildExamplePack, withPack } from './example-pack.js';
import { realCliAvailable } from './real-cli.js';
import { consoleLinks, mandatoryLine, startRealExample, type RealExample } from './real-example.js';

/*
 * examples/awsguard-exceptions under the real `pulumi` CLI (AWS provider: the stand-in): a pack
 * that wraps every @pulumi/awsguard policy with requireApproval. The uploads bucket breaks
 * s3-bucket-logging-enabled; an approval lets exactly that bucket through, until it changes or
 * the approval expires.
 */
const bucketUrn = 'urn:pulumi:dev::awsguard-exceptions::aws:s3/bucket:Bucket::uploads';
const policy = 's3-bucket-logging-enabled';

describe.runIf(realCliAvailable('awsguard-exceptions'))(
  'awsguard-exceptions under the real CLI',
  () => {
    let ex: RealExample;
    let pack: ReturnType<typeof withPack>;
    let requestId = '';
    beforeAll(async () => {
      ex = await startRealExample('awsguard-exceptions', {
        stack: 'dev',
        config: { 'aws:region': 'eu-west-1' },
      });
      pack = withPack(ex, await buildExamplePack('awsguard-exceptions'));
    }, 120_000);
    afterAll(() => ex?.close());

    it('blocks the preview with AwsGuard’s own message and the approval link', async () => {
      const preview = await pack.preview();
      expect(preview.code, preview.output).not.toBe(0);
      expect(preview.output).toMatch(mandatoryLine(policy));
      expect(preview.output).toContain('Bucket logging must be defined');
      const links = consoleLinks(preview.output, ex.svc.server.consoleUrl);
      expect(links).toHaveLength(1);
      requestId = links[0] as string;
      const stored = await ex.svc.client('alice').listRequests({ stack: ex.project.stackName });
      expect(stored.map((r) => [r.id, r.policy, r.urn])).toEqual([[requestId, policy, bucketUrn]]);
    }, 180_000);

    it('lets the bucket through once approved, and the run records the exception', async () => {
      await ex.svc
        .client('alice')
        .review(requestId, { decision: 'approve', reason: 'logs go to the SIEM instead' });
      const up = await pack.up();
      expect(up.code, up.output).toBe(0);
      expect(up.output).not.toMatch(mandatoryLine(policy));
      expect(await ex.urns()).toContain(bucketUrn);
      const audit = await ex.svc.client('alice').auditEntries();
      const used = audit.filter((e) => e.action === 'run.used').map((e) => e.subject);
      expect(used).toContain(requestId);
    }, 180_000);

    it('blocks again once the bucket changes', async () => {
      const set = await ex.project.pulumi(['config', 'set', 'team', 'data', '--stack', 'dev']);
      expect(set.code, set.output).toBe(0);
      const changed = await pack.up();
      expect(changed.code).not.toBe(0);
      expect(changed.output).toMatch(mandatoryLine(policy));
      expect(consoleLinks(changed.output, ex.svc.server.consoleUrl)).not.toContain(requestId);
      const back = await ex.project.pulumi(['config', 'set', 'team', 'web', '--stack', 'dev']);
      expect(back.code, back.output).toBe(0);
    }, 180_000);

    it('blocks again after the approval expires', async () => {
      ex.svc.clock.set(E2E_START.getTime() + 86_401 * 1000);
      const expired = await pack.up();
      expect(expired.code).not.toBe(0);
      expect(expired.output).toMatch(mandatoryLine(policy));
      expect(expired.output).toContain('expired');
    }, 180_000);
  },
);
