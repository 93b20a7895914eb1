import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runEngine, UNKNOWN } from '../engine/index.js';
import { buildPackCopy, type BuiltPack } from './built-pack.js';
import { advisory, mandatory, prod, securityGroup, serviceEnv } from './pack-fixtures.js';
import { startTestService, type TestService } from './test-service.js';

let pack: BuiltPack;
let svc: TestService;

beforeAll(async () => {
  [pack, svc] = await Promise.all([buildPackCopy(), startTestService()]);
});

afterAll(async () => {
  await svc?.close();
  await pack?.remove();
});

const unknownCidr = securityGroup('web', UNKNOWN);

describe('material unknown until update', { timeout: 60_000 }, () => {
  it('gives an advisory "checked at update" during preview and opens no request', async () => {
    const before = svc.seen.length;
    const { diagnostics } = await runEngine({
      packDir: pack.dir,
      stack: prod,
      dryRun: true,
      env: serviceEnv(svc),
      resources: [unknownCidr],
    });
    expect(mandatory(diagnostics)).toEqual([]);
    expect(advisory(diagnostics)).toHaveLength(1);
    expect(advisory(diagnostics)[0]?.message).toMatch(/checked at update/);
    expect(svc.seen.slice(before)).toEqual([]);
  });

  it('is checked strictly at update', async () => {
    const { diagnostics } = await runEngine({
      packDir: pack.dir,
      stack: prod,
      dryRun: false,
      env: serviceEnv(svc),
      resources: [unknownCidr],
    });
    expect(mandatory(diagnostics)).toHaveLength(1);
    expect(mandatory(diagnostics)[0]?.message).toMatch(/still unknown at update/);
  });
});
