import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { TemporarySettings } from '@clearance/temporary';
import { collectResources } from './collect-resources.js';
import {
  E2E_START,
  apiToken,
  exampleRules,
  startE2eService,
  type E2eService,
} from './e2e-service.js';
import { blocking, requestLinks, runPack } from './example-run.js';

const stack = { org: 'acme', project: 'aws-temporary-ssh', stack: 'prod' };
const ruleUrn =
  'urn:pulumi:prod::aws-temporary-ssh::aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule::debug-ssh';
let svc: E2eService;

beforeAll(async () => {
  svc = await startE2eService(await exampleRules('aws-temporary-ssh'));
});
afterAll(() => svc.close());

/** Runs the example under mocks, its temporary helper asking the service, as `pulumi` would. */
async function program(dryRun: boolean, requested: boolean) {
  vi.resetModules();
  const temporary = await import('@clearance/temporary');
  const settings: TemporarySettings = {
    url: svc.server.url,
    token: apiToken('carol'),
    approvalTokens: [],
    requested: requested ? ['debug-ssh'] : [],
    timeoutMs: 5000,
  };
  temporary.configureTemporary({ settings, clock: svc.clock });
  const { resources } = await collectResources(
    () => import('../../examples/aws-temporary-ssh/index.js'),
    {
      organization: stack.org,
      project: stack.project,
      stack: stack.stack,
      preview: dryRun,
      config: { 'aws-temporary-ssh:vpcId': 'vpc-0abc' },
    },
  );
  return resources;
}

async function deploy(dryRun: boolean, requested: boolean) {
  const resources = await program(dryRun, requested);
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

describe('aws-temporary-ssh end to end', () => {
  let requestId = '';

  it('blocks the requested SSH rule at preview and at update, with one request and its console link', async () => {
    const preview = await deploy(true, true);
    expect(preview.blocked).toHaveLength(1);
    expect(preview.blocked[0]).toMatchObject({
      policyName: 'aws-security-group-open-ingress',
      urn: ruleUrn,
    });
    const [id] = requestLinks(preview.blocked, svc.server.consoleUrl);
    expect(id).toBeDefined();
    requestId = id as string;

    const update = await deploy(false, true);
    expect(requestLinks(blocking(update.blocked), svc.server.consoleUrl)).toEqual([requestId]);
    const pending = await svc
      .client('alice')
      .listRequests({ stack: 'acme/aws-temporary-ssh/prod' });
    expect(pending.map((r) => [r.id, r.status])).toEqual([[requestId, 'pending']]);
  }, 120_000);

  it('passes once a platform engineer approves through the API, in business hours', async () => {
    await svc.client('alice').review(requestId, { decision: 'approve', reason: 'incident 4711' });
    const preview = await deploy(true, false);
    expect(preview.resources.map((r) => r.urn)).toContain(ruleUrn);
    expect(preview.blocked).toEqual([]);
    const update = await deploy(false, false);
    expect(update.blocked).toEqual([]);
  }, 120_000);

  it('after the hour, drops the rule on the scheduled update and blocks it if declared again', async () => {
    svc.clock.set(E2E_START.getTime() + 3601 * 1000);
    const scheduled = await deploy(false, false);
    expect(scheduled.resources.map((r) => r.urn)).not.toContain(ruleUrn);
    expect(scheduled.blocked).toEqual([]);

    const again = await deploy(true, true);
    expect(again.blocked).toHaveLength(1);
    expect(again.blocked[0]?.message).toContain('expired');
    // The message links the expired approval and the new request it opened.
    const links = requestLinks(again.blocked, svc.server.consoleUrl);
    expect(links).toContain(requestId);
    expect(links.filter((id) => id !== requestId)).toHaveLength(1);
  }, 120_000);
});
