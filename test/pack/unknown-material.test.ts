import { describe, expect, it } from 'vitest';
import { runEngine, UNKNOWN } from '../engine/index.js';
import { usePackAndService } from './pack-and-service.js';
import { advisory, mandatory, prod, securityGroup, serviceEnv } from './pack-fixtures.js';

const ctx = usePackAndService();

const unknownCidr = securityGroup('web', UNKNOWN);

describe('material unknown until update', { timeout: 60_000 }, () => {
  it('gives an advisory "checked at update" during preview and opens no request', async () => {
    const before = ctx.svc.seen.length;
    const { diagnostics } = await runEngine({
      packDir: ctx.pack.dir,
      stack: prod,
      dryRun: true,
      env: serviceEnv(ctx.svc),
      resources: [unknownCidr],
    });
    expect(mandatory(diagnostics)).toEqual([]);
    expect(advisory(diagnostics)).toHaveLength(1);
    expect(advisory(diagnostics)[0]?.message).toMatch(/checked at update/);
    // The approvals are fetched ahead at the first resource; no request is opened.
    expect(ctx.svc.seen.slice(before)).toEqual([{ method: 'GET', path: '/v1/approvals' }]);
  });

  it('is checked strictly at update', async () => {
    const { diagnostics } = await runEngine({
      packDir: ctx.pack.dir,
      stack: prod,
      dryRun: false,
      env: serviceEnv(ctx.svc),
      resources: [unknownCidr],
    });
    expect(mandatory(diagnostics)).toHaveLength(1);
    expect(mandatory(diagnostics)[0]?.message).toMatch(/still unknown at update/);
  });
});
