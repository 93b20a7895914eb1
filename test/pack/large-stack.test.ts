import { describe, expect, it } from 'vitest';
import { syntheticStack } from '../../bench/synthetic-stack.js';
import { runEngine, type StackRef } from '../engine/index.js';
import { usePackAndService } from './pack-and-service.js';
import { mandatory, packBindings, seedApprovals, serviceEnv } from './pack-fixtures.js';

const ctx = usePackAndService({ memoryStore: true });

const stack: StackRef = { org: 'acme', project: 'platform', stack: 'prod' };

describe('a large stack', { timeout: 300_000 }, () => {
  it('5,000 resources, 10% sensitive and all approved: at most 2 requests to the service', async () => {
    const resources = syntheticStack(5000, 0.1);
    const bindings = packBindings(stack, resources);
    expect(bindings).toHaveLength(500);
    const approved = await seedApprovals(ctx.svc, bindings);
    const before = ctx.svc.seen.length;
    const result = await runEngine({
      packDir: ctx.pack.dir,
      stack,
      dryRun: false,
      env: serviceEnv(ctx.svc),
      resources,
      // The update pass alone: a whole `pulumi up` runs a preview pass first, in its own process.
      skipPreview: true,
    });
    const seen = ctx.svc.seen.slice(before);
    expect(mandatory(result.diagnostics)).toEqual([]);
    expect(seen).toEqual([
      { method: 'GET', path: '/v1/approvals' },
      { method: 'POST', path: '/v1/runs' },
    ]);
    const query = Object.fromEntries(ctx.svc.queries[before] ?? []);
    expect(query).toEqual({
      stack: 'acme/platform/prod',
      run: expect.any(String),
      dryRun: 'false',
    });
    const used = await ctx.svc.services.audit.readAudit({ action: 'run.used' });
    expect(new Set(used.map((e) => e.subject))).toEqual(new Set(approved));
    // The fetch names the same run as the report of what it used.
    expect(new Set(used.map((e) => e.data?.runId))).toEqual(new Set([query.run]));
  });

  it('a first preview of 50 unapproved sensitive resources: one call per missing approval', async () => {
    const resources = syntheticStack(500, 0.1).map((r) => ({ ...r, name: `first-${r.name}` }));
    const before = ctx.svc.seen.length;
    const result = await runEngine({
      packDir: ctx.pack.dir,
      stack,
      dryRun: true,
      env: serviceEnv(ctx.svc),
      resources,
    });
    const seen = ctx.svc.seen.slice(before);
    expect(mandatory(result.diagnostics)).toHaveLength(50);
    // The approvals call also lists the stack's other requests: no lookup per miss, and each
    // request the run opens puts the block on record itself.
    expect(seen).toEqual([
      { method: 'GET', path: '/v1/approvals' },
      ...Array(50).fill({ method: 'POST', path: '/v1/requests' }),
    ]);
    const blocked = await ctx.svc.services.audit.readAudit({ action: 'run.blocked' });
    expect(blocked.filter((e) => String(e.data?.urn).includes('::first-'))).toHaveLength(50);
  });
});
