import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runEngine } from '../engine/index.js';
import { buildPackCopy, type BuiltPack } from './built-pack.js';
import { mandatory, packBindings, prod, securityGroup, serviceEnv } from './pack-fixtures.js';
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

const web = securityGroup('web');

/** Opens and approves a request for exactly this binding; returns its id and token. */
async function approvedToken(binding: ReturnType<typeof packBindings>[number]) {
  const { request } = await svc.service.createRequest(svc.actor('carol'), {
    ...binding,
    reason: 'ci',
  });
  await svc.approve(request.id);
  const { token } = await svc.service.getRequest(request.id);
  return { id: request.id, token: token! };
}

function run(env: Record<string, string>) {
  return runEngine({ packDir: pack.dir, stack: prod, dryRun: false, env, resources: [web] });
}

describe('approval tokens handed in by CI', { timeout: 60_000 }, () => {
  let right: { id: string; token: string };
  let wrong: string[];
  let offline: Record<string, string>;

  beforeAll(async () => {
    const [binding] = packBindings(prod, [web]);
    const [widened] = packBindings(prod, [securityGroup('web', '::/0')]);
    const [elsewhere] = packBindings(prod, [securityGroup('other')]);
    wrong = await Promise.all([
      approvedToken({ ...binding!, stack: 'acme/shop/dev' }).then((t) => t.token),
      approvedToken({ ...binding!, urn: elsewhere!.urn }).then((t) => t.token),
      approvedToken({ ...binding!, policy: 'aws-s3-public-access' }).then((t) => t.token),
      approvedToken({ ...binding!, fingerprint: widened!.fingerprint }).then((t) => t.token),
    ]);
    right = await approvedToken(binding!);
    const { keys } = await svc.service.approvals(svc.actor('carol'), 'acme/shop/prod');
    offline = { CLEARANCE_OFFLINE: 'true', CLEARANCE_JWKS: JSON.stringify(keys) };
  });

  it('offline, pass on a token for exactly this state, with no call to any service', async () => {
    const before = svc.seen.length;
    const { diagnostics } = await run({ ...offline, CLEARANCE_APPROVAL_TOKENS: right.token });
    expect(diagnostics).toEqual([]);
    expect(svc.seen.length).toBe(before);
  });

  it('never approve with tokens for another stack, URN, policy or fingerprint', async () => {
    const { diagnostics } = await run({ ...offline, CLEARANCE_APPROVAL_TOKENS: wrong.join(',') });
    const [violation] = mandatory(diagnostics);
    expect(mandatory(diagnostics)).toHaveLength(1);
    expect(violation?.message).toMatch(
      /CLEARANCE_APPROVAL_TOKENS: the approval token is for another stack/,
    );
    expect(violation?.message).toMatch(/no valid approval token in CLEARANCE_APPROVAL_TOKENS/);
  });

  it('online, refuse a handed token whose approval the service has revoked', async () => {
    await svc.service.revoke(svc.actor('alice'), right.id, { reason: 'rotated' });
    const { diagnostics } = await run(serviceEnv(svc, { CLEARANCE_APPROVAL_TOKENS: right.token }));
    const [violation] = mandatory(diagnostics);
    expect(violation?.message).toContain(`approval ${right.id} is no longer active at the service`);
    expect(violation?.message).toMatch(/revoked by alice/);
  });
});
