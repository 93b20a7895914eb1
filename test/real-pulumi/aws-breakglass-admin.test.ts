import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { E2E_START } from '../e2e/e2e-service.js';
import { realCliAvailable } from './real-cli.js';
import { consoleLinks, mandatoryLine, startRealExample, type RealExample } from './real-example.js';

/*
 * examples/aws-breakglass-admin under the real `pulumi` CLI (AWS provider: the stand-in, which
 * answers the program's `aws.iam.getUser`): AdministratorAccess for the on-call engineer is
 * blocked until two managers approve, exists while approved, and is detached after the hour.
 */
const grantUrn =
  'urn:pulumi:oncall::aws-breakglass-admin::aws:iam/userPolicyAttachment:UserPolicyAttachment::breakglass-admin';
const requested = { CLEARANCE_REQUEST: 'breakglass-admin' };

describe.runIf(realCliAvailable('aws-breakglass-admin'))(
  'aws-breakglass-admin under the real CLI',
  () => {
    let ex: RealExample;
    beforeAll(async () => {
      ex = await startRealExample('aws-breakglass-admin', {
        stack: 'oncall',
        config: { 'aws:region': 'eu-west-1', 'aws-breakglass-admin:oncallUser': 'carol' },
      });
    }, 60_000);
    afterAll(() => ex?.close());

    it('blocks the grant at preview, asking two managers; approved, `up` attaches it; after the hour it is detached', async () => {
      const preview = await ex.preview(requested);
      expect(preview.code).not.toBe(0);
      expect(preview.output).toMatch(mandatoryLine('aws-iam-admin-grant'));
      expect(preview.output).toContain('0 of 2');
      const [id] = consoleLinks(preview.output, ex.svc.server.consoleUrl);

      await ex.svc.client('alice').review(id ?? '', { decision: 'approve', reason: 'SEV1 4711' });
      await ex.svc.client('bob').review(id ?? '', { decision: 'approve', reason: 'SEV1 4711' });
      const up = await ex.up();
      expect(up.code, up.output).toBe(0);
      const grant = (await ex.project.resources()).find((r) => r.urn === grantUrn);
      expect(grant?.inputs).toMatchObject({
        user: 'carol',
        policyArn: 'arn:aws:iam::aws:policy/AdministratorAccess',
      });

      ex.svc.clock.set(E2E_START.getTime() + 3601 * 1000);
      const scheduled = await ex.up();
      expect(scheduled.code, scheduled.output).toBe(0);
      expect(await ex.urns()).not.toContain(grantUrn);
    }, 240_000);
  },
);
