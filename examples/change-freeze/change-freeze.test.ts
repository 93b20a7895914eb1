import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ApprovalSet,
  ManualClock,
  isClearanceError,
  requestFingerprint,
  type CreateRequestBody,
} from '@clearance/client';
import { loadConfig, type Actor, type ServiceConfig } from '@clearance/approval-service';
import {
  startStatusStandIn,
  testApp,
  type StatusStandIn,
  type TestApp,
} from '@clearance/approval-service/testing';

const configPath = fileURLToPath(new URL('clearance.yaml', import.meta.url));

let standIn: StatusStandIn;
beforeAll(async () => {
  standIn = await startStatusStandIn();
});
afterAll(() => standIn.close());

/** The example's config, its status page replaced by the local stand-in. */
async function service(at: string): Promise<TestApp & { config: ServiceConfig }> {
  const config = loadConfig(configPath);
  config.conditions = config.conditions.map((c) => ({ ...c, url: `${standIn.url}/incidents` }));
  const app = await testApp({
    config,
    clock: new ManualClock(at),
    env: { STATUS_API_TOKEN: 'Bearer status-token' },
  });
  return { ...app, config };
}

function actor(config: ServiceConfig, id: string): Actor {
  const user = config.users.find((u) => u.id === id);
  if (!user) throw new Error(`no user ${id}`);
  return { id, displayName: user.name, groups: user.groups };
}

const change = (n: number): CreateRequestBody => {
  const body = {
    stack: 'acme/shop/prod',
    urn: 'urn:pulumi:prod::shop::aws:ec2/securityGroup:SecurityGroup::web',
    type: 'aws:ec2/securityGroup:SecurityGroup',
    policy: 'aws-security-group-open-ingress',
    summary: 'opens port 443 to 0.0.0.0/0',
    reason: 'hotfix',
    material: { port: 443, n },
  };
  return { ...body, fingerprint: requestFingerprint(body) };
};

async function codeOf(promise: Promise<unknown>): Promise<string> {
  return promise.then(
    () => 'ok',
    (err: unknown) => (isClearanceError(err) ? err.code : String(err)),
  );
}

async function packSays(s: TestApp, body: CreateRequestBody): Promise<string> {
  const response = await s.services.runs.approvals(
    actor(loadConfig(configPath), 'carol'),
    body.stack,
  );
  const lookup = await (await ApprovalSet.fromResponse(response, { clock: s.clock })).find(body);
  return lookup.ok ? 'ok' : lookup.refusals.map((r) => r.error.code).join(',');
}

describe('examples/change-freeze', () => {
  it('refuses a prod approval in the year-end freeze when no incident is open', async () => {
    standIn.answer('/incidents', { json: { open: false } });
    // Wednesday 23 December 2026, 10:00 in Paris.
    const s = await service('2026-12-23T09:00:00Z');
    const { request } = await s.services.requests.createRequest(
      actor(s.config, 'carol'),
      change(1),
    );
    expect(request.requirements.rule).toBe('prod');
    const refused = s.services.requests.review(actor(s.config, 'alice'), request.id, {
      decision: 'approve',
    });
    expect(await codeOf(refused)).toBe('ERR_FROZEN');
  });

  it('lets an incident commander break the glass during the freeze while an incident is open', async () => {
    standIn.answer('/incidents', { json: { open: true } });
    const s = await service('2026-12-23T09:00:00Z');
    const { request } = await s.services.requests.createRequest(
      actor(s.config, 'carol'),
      change(2),
    );
    expect(request.requirements.rule).toBe('incident-break-glass');
    const approved = await s.services.requests.review(actor(s.config, 'dave'), request.id, {
      decision: 'approve',
      reason: 'INC-7: roll the fix out',
    });
    expect(approved.status).toBe('approved');
    expect(standIn.lastHeaders('/incidents')?.get('authorization')).toBe('Bearer status-token');
    expect(await packSays(s, change(2))).toBe('ok');
    // The incident is closed: once the cached verdict is 30 s old, the deploy is blocked.
    standIn.answer('/incidents', { json: { open: false } });
    s.clock.advanceSeconds(30);
    expect(await packSays(s, change(2))).toBe('ERR_CONDITION_FAILED');
  });

  it('blocks an approval given on Friday afternoon once the weekend freeze starts', async () => {
    standIn.answer('/incidents', { json: { open: false } });
    // Friday 4 December 2026, 16:00 in Paris; the freeze starts at 18:00.
    const s = await service('2026-12-04T15:00:00Z');
    const { request } = await s.services.requests.createRequest(
      actor(s.config, 'carol'),
      change(3),
    );
    await s.services.requests.review(actor(s.config, 'alice'), request.id, { decision: 'approve' });
    await s.services.requests.review(actor(s.config, 'bob'), request.id, { decision: 'approve' });
    expect(await packSays(s, change(3))).toBe('ok');
    s.clock.set('2026-12-04T17:00:00Z');
    expect(await packSays(s, change(3))).toBe('ERR_FROZEN');
  });
});
