import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { E2E_START, exampleRules, startE2eService, type E2eService } from './e2e-service.js';
import { deployExample, type ExampleStack } from './example-deploy.js';
import { requestLinks } from './example-run.js';

const example: ExampleStack = {
  org: 'acme',
  project: 'aws-breakglass-admin',
  stack: 'oncall',
  config: { 'aws-breakglass-admin:oncallUser': 'carol' },
  invokes: {
    'aws:iam/getUser:getUser': (inputs) => ({
      userName: inputs.userName,
      arn: `arn:aws:iam::123456789012:user/${String(inputs.userName)}`,
    }),
  },
  temporary: 'breakglass-admin',
};
const grantUrn =
  'urn:pulumi:oncall::aws-breakglass-admin::aws:iam/userPolicyAttachment:UserPolicyAttachment::breakglass-admin';
let svc: E2eService;

beforeAll(async () => {
  svc = await startE2eService(await exampleRules('aws-breakglass-admin'));
});
afterAll(() => svc.close());

const deploy = (dryRun: boolean, requested: boolean) =>
  deployExample(svc, example, { dryRun, requested });

describe('aws-breakglass-admin end to end', () => {
  let requestId = '';

  it('blocks AdministratorAccess for the on-call engineer, asking for two managers', async () => {
    const preview = await deploy(true, true);
    expect(preview.blocked).toHaveLength(1);
    expect(preview.blocked[0]).toMatchObject({ policyName: 'aws-iam-admin-grant', urn: grantUrn });
    expect(preview.blocked[0]?.message).toContain('0 of 2');
    requestId = requestLinks(preview.blocked, svc.server.consoleUrl)[0] ?? '';
    expect(requestId).not.toBe('');
    const update = await deploy(false, true);
    expect(requestLinks(update.blocked, svc.server.consoleUrl)).toEqual([requestId]);
  }, 120_000);

  it('stays blocked with one manager, passes with the second, for one hour', async () => {
    await svc.client('alice').review(requestId, { decision: 'approve', reason: 'sev1 incident' });
    const half = await deploy(true, true);
    expect(half.blocked[0]?.message).toContain('1 of 2');
    const approved = await svc
      .client('bob')
      .review(requestId, { decision: 'approve', reason: 'agreed' });
    expect(approved.expiresAt).toBe(new Date(E2E_START.getTime() + 3600 * 1000).toISOString());
    const preview = await deploy(true, false);
    expect(preview.resources.map((r) => r.urn)).toEqual([grantUrn]);
    expect(preview.blocked).toEqual([]);
    expect((await deploy(false, false)).blocked).toEqual([]);
  }, 120_000);

  it('detaches the grant after the hour, and blocks it again if declared', async () => {
    svc.clock.set(E2E_START.getTime() + 3600 * 1000);
    const scheduled = await deploy(false, false);
    expect(scheduled.resources).toEqual([]);
    const again = await deploy(false, true);
    expect(again.blocked).toHaveLength(1);
    expect(again.blocked[0]?.message).toContain('expired');
  }, 120_000);

  it('detaches the grant at the next update once a manager revokes it', async () => {
    const blocked = await deploy(true, true);
    const [id] = requestLinks(blocked.blocked, svc.server.consoleUrl).filter(
      (l) => l !== requestId,
    );
    for (const manager of ['alice', 'bob'] as const) {
      await svc.client(manager).review(id ?? '', { decision: 'approve', reason: 'sev1 again' });
    }
    expect((await deploy(false, false)).resources.map((r) => r.urn)).toEqual([grantUrn]);
    await svc.client('alice').revoke(id ?? '', { reason: 'incident closed' });
    const scheduled = await deploy(false, false);
    expect(scheduled.resources).toEqual([]);
    expect(scheduled.blocked).toEqual([]);
  }, 120_000);
});
