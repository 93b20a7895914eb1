import { beforeAll, describe, expect, it } from 'vitest';
import { runEngine, type EngineResource } from '../engine/index.js';
import { usePackAndService } from './pack-and-service.js';
import {
  mandatory,
  packBindings,
  prod,
  rebind,
  resourceUrn,
  securityGroup,
  serviceEnv,
} from './pack-fixtures.js';

const ctx = usePackAndService();

/** Approved for exactly its state. */
const web = securityGroup('web');
/** Approved only for other stacks, URNs, policies or states. */
const target = securityGroup('target');

/** Opens and approves a request for exactly this binding; returns its id and token. */
async function approvedToken(binding: ReturnType<typeof packBindings>[number]) {
  const { request } = await ctx.svc.services.requests.createRequest(ctx.svc.actor('carol'), {
    ...binding,
    reason: 'ci',
  });
  await ctx.svc.approve(request.id);
  const { token } = await ctx.svc.services.requests.getRequest(request.id);
  return { id: request.id, token: token! };
}

function run(env: Record<string, string>, resources: EngineResource[] = [web]) {
  return runEngine({ packDir: ctx.pack.dir, stack: prod, dryRun: false, env, resources });
}

describe('approval tokens handed in by CI', { timeout: 60_000 }, () => {
  let right: { id: string; token: string };
  const wrong: Record<string, string> = {};
  let offline: Record<string, string>;

  beforeAll(async () => {
    const [binding] = packBindings(prod, [target]);
    const [widened] = packBindings(prod, [securityGroup('target', '::/0')]);
    const [elsewhere] = packBindings(prod, [securityGroup('other')]);
    // Each a state the service approves (its fingerprint is its own), differing in one field.
    const variants = {
      stack: rebind(binding!, { stack: 'acme/shop/dev' }),
      URN: elsewhere!,
      policy: rebind(binding!, { policy: 'aws-s3-public-access' }),
      fingerprint: widened!,
    };
    for (const [label, variant] of Object.entries(variants)) {
      wrong[label] = (await approvedToken(variant)).token;
    }
    right = await approvedToken(packBindings(prod, [web])[0]!);
    const { keys } = await ctx.svc.services.runs.approvals(
      ctx.svc.actor('carol'),
      'acme/shop/prod',
    );
    offline = { CLEARANCE_OFFLINE: 'true', CLEARANCE_JWKS: JSON.stringify(keys) };
  });

  it('offline, pass on a token for exactly this state, with no call to any service', async () => {
    const before = ctx.svc.seen.length;
    const { diagnostics } = await run({ ...offline, CLEARANCE_APPROVAL_TOKENS: right.token });
    expect(diagnostics).toEqual([]);
    expect(ctx.svc.seen.length).toBe(before);
  });

  it('offline, never approve with tokens for another stack, URN, policy or fingerprint', async () => {
    const tokens = Object.values(wrong).join(',');
    const { diagnostics } = await run({ ...offline, CLEARANCE_APPROVAL_TOKENS: tokens }, [target]);
    const [violation] = mandatory(diagnostics);
    expect(mandatory(diagnostics)).toHaveLength(1);
    // The service binds each token to a fingerprint of its own stack, URN, type, policy and
    // material, so none of these claims this resource state (verify-token.test.ts covers a
    // token that claims it for another stack).
    expect(violation?.message).toMatch(/no valid approval token in CLEARANCE_APPROVAL_TOKENS/);
  });

  it.each(['stack', 'URN', 'policy', 'fingerprint'])(
    'online, a token approved for another %s gives a violation with the request to approve',
    async (label) => {
      const env = serviceEnv(ctx.svc, { CLEARANCE_APPROVAL_TOKENS: wrong[label]! });
      const { diagnostics } = await run(env, [target]);
      const violations = mandatory(diagnostics);
      expect(violations).toHaveLength(1);
      const requests = (
        await ctx.svc.services.requests.listRequests({ status: ['pending'] })
      ).filter((r) => r.urn === resourceUrn(prod, target));
      expect(requests).toHaveLength(1);
      expect(violations[0]?.message).toContain(requests[0]!.url);
    },
  );

  it('online, refuse a handed token whose approval the service has revoked', async () => {
    await ctx.svc.services.requests.revoke(ctx.svc.actor('alice'), right.id, { reason: 'rotated' });
    const { diagnostics } = await run(
      serviceEnv(ctx.svc, { CLEARANCE_APPROVAL_TOKENS: right.token }),
    );
    const [violation] = mandatory(diagnostics);
    expect(violation?.message).toContain(`approval ${right.id} is no longer active at the service`);
    expect(violation?.message).toMatch(/revoked by alice/);
  });
});
