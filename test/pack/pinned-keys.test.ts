import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runEngine, type EngineResource, type RunEngineOptions } from '../engine/index.js';
import { usePackAndService } from './pack-and-service.js';
import {
  mandatory,
  packBindings,
  prod,
  securityGroup,
  seedApprovals,
  serviceEnv,
  SG_POLICY,
} from './pack-fixtures.js';
import { startTestService, type TestService } from './test-service.js';

/** The real service, whose keys the pack pins. */
const ctx = usePackAndService();
/** Another service on loopback with its own signing key: what a pack pointed elsewhere meets. */
let impostor: TestService;
let realKeys: string;
let realKids: string[];

const web = securityGroup('web');

beforeAll(async () => {
  impostor = await startTestService();
  const { keys } = await ctx.svc.services.runs.approvals(ctx.svc.actor('carol'), 'acme/shop/prod');
  realKeys = JSON.stringify(keys);
  realKids = keys.keys.map((k) => k.kid ?? '');
  await seedApprovals(impostor, packBindings(prod, [web]));
  await seedApprovals(ctx.svc, packBindings(prod, [web]));
});

afterAll(async () => {
  await impostor?.close();
});

function run(env: Record<string, string>, policyConfig?: RunEngineOptions['policyConfig']) {
  const resources: EngineResource[] = [web];
  return runEngine({
    packDir: ctx.pack.dir,
    stack: prod,
    dryRun: false,
    env,
    resources,
    policyConfig,
  });
}

describe('pinned keys, online', { timeout: 60_000 }, () => {
  it('unpinned, the pack trusts whatever service it is pointed at (what pinning closes)', async () => {
    const { diagnostics } = await run(serviceEnv(impostor));
    expect(diagnostics).toEqual([]);
  });

  it('with CLEARANCE_JWKS, refuses what the impostor approved, though its answer carries its key', async () => {
    const { diagnostics } = await run(serviceEnv(impostor, { CLEARANCE_JWKS: realKeys }));
    const violations = mandatory(diagnostics);
    expect(violations).toHaveLength(1);
    expect(violations[0]?.message).toMatch(
      /the service approval: the approval token is signed by a key that is not pinned \(kid [\w-]+\), although the service offered it/,
    );
  });

  it('with CLEARANCE_JWKS, passes what the real service approved', async () => {
    const { diagnostics } = await run(serviceEnv(ctx.svc, { CLEARANCE_JWKS: realKeys }));
    expect(diagnostics).toEqual([]);
  });

  it('with key thumbprints in the policy config, tells the real service from the impostor', async () => {
    const policyConfig = { [SG_POLICY]: { properties: { keyThumbprints: realKids } } };
    expect((await run(serviceEnv(ctx.svc), policyConfig)).diagnostics).toEqual([]);
    const { diagnostics } = await run(serviceEnv(impostor), policyConfig);
    expect(mandatory(diagnostics)[0]?.message).toMatch(/signed by a key that is not pinned/);
  });
});
