import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { collectResources } from './collect-resources.js';
import {
  E2E_START,
  apiToken,
  exampleRules,
  startE2eService,
  type E2eService,
} from './e2e-service.js';
import { blocking, requestLinks, runPack } from './example-run.js';

const stack = { org: 'acme', project: 'aws-breakglass-admin', stack: 'oncall' };
const grantUrn =
  'urn:pulumi:oncall::aws-breakglass-admin::aws:iam/userPolicyAttachment:UserPolicyAttachment::breakglass-admin';
let svc: E2eService;

beforeAll(async () => {
  svc = await startE2eService(await exampleRules('aws-breakglass-admin'));
});
afterAll(() => svc.close());

async function deploy(dryRun: boolean, requested: boolean) {
  vi.resetModules();
  const temporary = await import('@clearance/temporary');
  temporary.configureTemporary({
    settings: {
      url: svc.server.url,
      token: apiToken('carol'),
      approvalTokens: [],
      requested: requested ? ['breakglass-admin'] : [],
      timeoutMs: 5000,
    },
    clock: svc.clock,
  });
  const { resources } = await collectResources(
    () => import('../../examples/aws-breakglass-admin/index.js'),
    {
      organization: stack.org,
      project: stack.project,
      stack: stack.stack,
      preview: dryRun,
      config: { 'aws-breakglass-admin:oncallUser': 'carol' },
      invokes: {
        'aws:iam/getUser:getUser': (inputs) => ({
          userName: inputs.userName,
          arn: `arn:aws:iam::123456789012:user/${String(inputs.userName)}`,
        }),
      },
    },
  );
  const diagnostics = await runPack({
    stack,
    resources,
    dryRun,
    serviceUrl: svc.server.url,
    apiToken: apiToken('carol'),
    now: svc.clock.now(),
  });
  return { resources, blocked: blocking(diagnostics) };
}

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

  it('stays blocked with one manager, passes with the second', async () => {
    await svc.client('alice').review(requestId, { decision: 'approve', reason: 'sev1 incident' });
    const half = await deploy(true, true);
    expect(half.blocked[0]?.message).toContain('1 of 2');
    await svc.client('bob').review(requestId, { decision: 'approve', reason: 'agreed' });
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
});
