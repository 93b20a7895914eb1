import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { E2E_START } from '../e2e/e2e-service.js';
import { realCliAvailable } from './real-cli.js';
import { consoleLinks, mandatoryLine, startRealExample, type RealExample } from './real-example.js';

/*
 * examples/aws-temporary-ssh under the real `pulumi` CLI (AWS provider: the stand-in), as its
 * README shows: the requested SSH rule is blocked at preview with the console link, passes once
 * approved, and goes away at expiry or revocation.
 */
const ruleUrn =
  'urn:pulumi:prod::aws-temporary-ssh::aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule::debug-ssh';
const requested = { CLEARANCE_REQUEST: 'debug-ssh' };

describe.runIf(realCliAvailable('aws-temporary-ssh'))(
  'aws-temporary-ssh under the real CLI',
  () => {
    let ex: RealExample;
    let requestId = '';
    beforeAll(async () => {
      ex = await startRealExample('aws-temporary-ssh', {
        stack: 'prod',
        config: { 'aws:region': 'eu-west-1', 'aws-temporary-ssh:vpcId': 'vpc-0abc' },
      });
    }, 60_000);
    afterAll(() => ex?.close());

    it('fails the preview with the mandatory violation and the console link, and opens one request', async () => {
      const preview = await ex.preview(requested);
      expect(preview.code).not.toBe(0);
      expect(preview.output).toMatch(mandatoryLine('aws-security-group-open-ingress'));
      expect(preview.output).toContain('needs an approval: ingress from 0.0.0.0/0 on tcp port 22');
      const links = consoleLinks(preview.output, ex.svc.server.consoleUrl);
      expect(links).toHaveLength(1);
      requestId = links[0] as string;
      const stored = await ex.svc.client('alice').listRequests({ stack: ex.project.stackName });
      expect(stored.map((r) => [r.id, r.status, r.urn])).toEqual([[requestId, 'pending', ruleUrn]]);
    }, 120_000);

    it('passes `pulumi up` once approved, and the rule is in the state', async () => {
      await ex.svc
        .client('alice')
        .review(requestId, { decision: 'approve', reason: 'incident 4711' });
      const up = await ex.up();
      expect(up.code, up.output).toBe(0);
      expect(up.output).toContain('temporary debug-ssh is approved until');
      expect(await ex.urns()).toContain(ruleUrn);
    }, 120_000);

    it('after expiry, the scheduled `up` deletes the rule, and asking again is blocked', async () => {
      ex.svc.clock.set(E2E_START.getTime() + 3601 * 1000);
      const scheduled = await ex.up();
      expect(scheduled.code, scheduled.output).toBe(0);
      expect(await ex.urns()).not.toContain(ruleUrn);
      const again = await ex.up(requested);
      expect(again.code).not.toBe(0);
      expect(again.output).toMatch(mandatoryLine('aws-security-group-open-ingress'));
      expect(await ex.urns()).not.toContain(ruleUrn);
    }, 180_000);

    it('after a revocation, the next `up` removes the rule again', async () => {
      const [id] = (await ex.svc.client('alice').listRequests({ stack: ex.project.stackName }))
        .filter((r) => r.status === 'pending')
        .map((r) => r.id);
      await ex.svc
        .client('alice')
        .review(id ?? '', { decision: 'approve', reason: 'incident 4712' });
      expect((await ex.up()).code).toBe(0);
      expect(await ex.urns()).toContain(ruleUrn);
      await ex.svc.client('alice').revoke(id ?? '', { reason: 'incident closed' });
      const after = await ex.up();
      expect(after.code, after.output).toBe(0);
      expect(await ex.urns()).not.toContain(ruleUrn);
    }, 180_000);
  },
);
