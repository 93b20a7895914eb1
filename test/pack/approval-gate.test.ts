import { describe, expect, it } from 'vitest';
import { runEngine, type EngineResource, type RunEngineOptions } from '../engine/index.js';
import { usePackAndService } from './pack-and-service.js';
import {
  bucket,
  mandatory,
  prod,
  resourceUrn,
  securityGroup,
  serviceEnv,
  SG_POLICY,
} from './pack-fixtures.js';
import { APPROVAL_SECONDS, PUBLIC_URL } from './test-service.js';

const ctx = usePackAndService();

function run(resources: EngineResource[], options: Partial<RunEngineOptions> = {}) {
  return runEngine({
    packDir: ctx.pack.dir,
    stack: prod,
    dryRun: true,
    env: serviceEnv(ctx.svc),
    resources,
    ...options,
  });
}

async function requestsFor(resource: EngineResource) {
  const all = await ctx.svc.services.requests.listRequests({ stack: 'acme/shop/prod' });
  return all.filter((r) => r.urn === resourceUrn(prod, resource));
}

/** Runs the engine and returns only what the service received during that run. */
async function counted(resources: EngineResource[], options: Partial<RunEngineOptions> = {}) {
  const before = ctx.svc.seen.length;
  const result = await run(resources, options);
  return { ...result, seen: ctx.svc.seen.slice(before) };
}

describe('the approval gate against the real service', { timeout: 60_000 }, () => {
  it('blocks an open security group on prod with a link to the one request it opened', async () => {
    const sg = securityGroup('web');
    const first = await run([sg, sg]);
    const second = await run([sg]);
    const violations = mandatory([...first.diagnostics, ...second.diagnostics]);
    expect(violations).toHaveLength(3);
    const requests = await requestsFor(sg);
    expect(requests).toHaveLength(1);
    expect(requests[0]?.status).toBe('pending');
    const link = `${PUBLIC_URL}/requests/${requests[0]?.id}`;
    for (const v of violations) {
      expect(v.policyName).toBe(SG_POLICY);
      expect(v.message).toContain(resourceUrn(prod, sg));
      expect(v.message).toContain('0.0.0.0/0');
      expect(v.message).toContain(link);
    }
    expect(requests[0]?.reason).toMatch(
      /requested by the policy pack during preview of acme\/shop\/prod/,
    );
    // Each run put on record that it blocked the resource.
    const blocked = await ctx.svc.services.audit.readAudit({
      action: 'run.blocked',
      subject: requests[0]!.id,
    });
    expect(new Set(blocked.map((e) => e.data?.runId)).size).toBe(2);
  });

  it('lets the group through once the required approvals are in, in at most two requests to the service', async () => {
    const sg = securityGroup('api');
    await run([sg]);
    const [request] = await requestsFor(sg);
    const review = { decision: 'approve', reason: 'looks right' } as const;
    await ctx.svc.services.requests.review(ctx.svc.actor('alice'), request!.id, review);
    const halfway = mandatory((await run([sg])).diagnostics);
    expect(halfway).toHaveLength(1);
    expect(halfway[0]?.message).toContain(
      `The approval request is pending (1 of 2 managers): ${request!.url}`,
    );
    await ctx.svc.services.requests.review(ctx.svc.actor('bob'), request!.id, review);
    const approved = await counted([sg, bucket('assets')]);
    expect(mandatory(approved.diagnostics)).toEqual([]);
    expect(approved.seen.length).toBeLessThanOrEqual(2);
    expect(approved.seen[0]).toEqual({ method: 'GET', path: '/v1/approvals' });
  });

  it('puts an update that used an approval on record: the audit trail names the run, the request lists it', async () => {
    const sg = securityGroup('db-bastion');
    await run([sg]);
    const [request] = await requestsFor(sg);
    await ctx.svc.approve(request!.id);
    const update = await run([sg], { dryRun: false });
    expect(update.diagnostics).toEqual([]);
    // `pulumi up` is a preview pass, then the update pass: each is a run of its own.
    const { runs } = await ctx.svc.services.requests.getRequest(request!.id);
    expect(runs.map((r) => r.dryRun)).toEqual([true, false]);
    expect(runs[1]).toMatchObject({ dryRun: false, runId: expect.stringMatching(/^run_/) });
    expect(runs[0]?.runId).not.toBe(runs[1]?.runId);
    const audit = await ctx.svc.services.audit.readAudit({
      action: 'run.used',
      subject: request!.id,
    });
    expect(audit).toHaveLength(2);
    expect(audit[1]?.data).toMatchObject({
      runId: runs[1]?.runId,
      stack: 'acme/shop/prod',
      dryRun: false,
    });
  });

  it('blocks the same group with another CIDR: a new fingerprint needs a new approval', async () => {
    const sg = securityGroup('edge');
    await run([sg]);
    const [request] = await requestsFor(sg);
    await ctx.svc.approve(request!.id);
    expect(mandatory((await run([sg])).diagnostics)).toEqual([]);
    const widened = await run([securityGroup('edge', '::/0')]);
    const [violation] = mandatory(widened.diagnostics);
    expect(violation?.message).toContain('::/0');
    const requests = await requestsFor(sg);
    expect(requests.map((r) => r.status).sort()).toEqual(['approved', 'pending']);
    expect(violation?.message).toContain(requests.find((r) => r.status === 'pending')!.url);
  });

  it('blocks again once the approval has expired, saying when', async () => {
    const sg = securityGroup('temporary');
    await run([sg]);
    const [request] = await requestsFor(sg);
    await ctx.svc.approve(request!.id);
    expect(mandatory((await run([sg])).diagnostics)).toEqual([]);
    ctx.svc.clock.advanceSeconds(APPROVAL_SECONDS + 1);
    try {
      const { expiresAt } = await ctx.svc.services.requests.getRequest(request!.id);
      const [violation] = mandatory((await run([sg])).diagnostics);
      expect(violation?.message).toContain(`expired at ${expiresAt}`);
      expect(violation?.message).toMatch(/An approval request was opened/);
    } finally {
      ctx.svc.clock.set(Date.now());
    }
  });

  it('blocks again once the approval has been revoked, saying by whom', async () => {
    const sg = securityGroup('revoked');
    await run([sg]);
    const [request] = await requestsFor(sg);
    await ctx.svc.approve(request!.id);
    expect(mandatory((await run([sg])).diagnostics)).toEqual([]);
    await ctx.svc.services.requests.revoke(ctx.svc.actor('alice'), request!.id, {
      reason: 'incident',
    });
    const [violation] = mandatory((await run([sg])).diagnostics);
    expect(violation?.message).toMatch(/revoked by alice at /);
  });

  it('reports a denial with who denied it and why', async () => {
    const sg = securityGroup('denied');
    await run([sg]);
    const [request] = await requestsFor(sg);
    await ctx.svc.services.requests.review(ctx.svc.actor('bob'), request!.id, {
      decision: 'deny',
      reason: 'use the VPN',
    });
    const [violation] = mandatory((await run([sg])).diagnostics);
    expect(violation?.message).toContain('denied by bob: "use the VPN"');
    expect(await requestsFor(sg)).toHaveLength(1);
  });

  it('lets a compliant stack through, having only fetched its approvals ahead', async () => {
    const compliant = await counted([securityGroup('private', '10.0.0.0/16'), bucket('logs')]);
    expect(compliant.diagnostics).toEqual([]);
    expect(compliant.seen).toEqual([{ method: 'GET', path: '/v1/approvals' }]);
  });
});
