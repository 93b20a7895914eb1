import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { ApprovalsResponse, CheckResult } from './api-responses.js';
import { ApprovalSet, type ApprovalLookup } from './approval-set.js';
import { ManualClock } from './clock.js';
import { handedTokens } from './handed-tokens.js';
import {
  checkedAt,
  claimsOf,
  expiresAt,
  genuine,
  signRaw,
  testKey,
  type AttackScene,
} from './testing/index.js';
import { APPROVAL_TOKEN_TYP, bindingKey, type ApprovalBinding } from './token-claims.js';

const binding: ApprovalBinding = {
  stack: 'acme/shop/prod',
  urn: 'urn:pulumi:prod::shop::aws:ec2/securityGroup:SecurityGroup::web',
  policy: 'aws-security-group-open-ingress',
  fingerprint: 'a'.repeat(64),
};
const otherState = { ...binding, fingerprint: 'b'.repeat(64) };

let scene: AttackScene;
beforeAll(async () => {
  scene = { real: await testKey(), foreign: await testKey(), binding, rid: 'req_1' };
});

/** A clock that counts how often it is read: each verification and each use reads it once. */
class CountingClock extends ManualClock {
  reads = 0;
  override now(): Date {
    this.reads++;
    return super.now();
  }
}

/** The service's answer listing `token` as the approval of `listedAs`, under request req_1. */
function answer(token: string, listedAs: ApprovalBinding = binding): ApprovalsResponse {
  const { urn, policy, fingerprint } = listedAs;
  const approval = { id: 'req_1', urn, policy, fingerprint, token, expiresAt: '' };
  return { approvals: [approval], keys: { keys: [scene.real.jwk] } };
}

function online(
  response: ApprovalsResponse,
  handed: string[] = [],
  clock = new ManualClock(checkedAt),
) {
  return ApprovalSet.fromResponse(response, { clock, handed: handedTokens(handed) });
}

/** The refusals of a lookup as `code: message`, or 'ok'. */
function why(lookup: ApprovalLookup): string[] | 'ok' {
  if (lookup.ok) return 'ok';
  return lookup.refusals.map((r) => `${r.held.source} ${r.error.code}: ${r.error.message}`);
}

describe('ApprovalSet from the service’s answer', () => {
  it('finds the listed approval of exactly this binding', async () => {
    const set = await online(answer(await genuine(scene)));
    const found = await set.find(binding);
    expect(found).toMatchObject({
      ok: true,
      claims: { rid: 'req_1' },
      held: { source: 'service' },
    });
  });

  it('holds none for another state: no refusal, nothing was tried', async () => {
    const set = await online(answer(await genuine(scene)));
    expect(await set.find(otherState)).toEqual({ ok: false, refusals: [] });
  });

  it('says an approval has expired, also when it expires during the run', async () => {
    const clock = new ManualClock(checkedAt);
    const set = await online(answer(await genuine(scene)), [], clock);
    expect((await set.find(binding)).ok).toBe(true);
    clock.set(expiresAt * 1000);
    expect(why(await set.find(binding))).toEqual([
      'service ERR_TOKEN_EXPIRED: the approval token has expired',
    ]);
  });

  it('says a handed token’s approval was revoked when the service no longer lists it', async () => {
    const token = await genuine(scene);
    const listed = await online(answer(token), [token]);
    expect(listed.candidates(binding).map((h) => h.source)).toEqual(['service', 'handed']);
    const revoked = await online({ approvals: [], keys: { keys: [scene.real.jwk] } }, [token]);
    expect(why(await revoked.find(binding))).toEqual([
      'handed ERR_TOKEN_REVOKED: approval req_1 is no longer active at the service (revoked or expired)',
    ]);
  });

  it('says a listed token is bound to another state than the one it is listed for', async () => {
    const token = await genuine(scene, { fingerprint: otherState.fingerprint });
    const set = await online(answer(token, binding));
    const lookup = await set.find(binding);
    expect(!lookup.ok && lookup.refusals[0]?.error).toMatchObject({
      code: 'ERR_TOKEN_MISMATCH',
      details: { claim: 'fingerprint' },
    });
  });

  it('says a token is signed by an unknown key, or by a key that is not pinned', async () => {
    const forged = await signRaw(
      claimsOf(scene),
      { typ: APPROVAL_TOKEN_TYP, kid: scene.foreign.kid },
      scene.foreign.privateKey,
    );
    const served = await online(answer(forged));
    const unknown = await served.find(binding);
    expect(!unknown.ok && unknown.refusals[0]?.error).toMatchObject({
      code: 'ERR_TOKEN_INVALID',
      details: { reason: 'unknown-key' },
    });
    const response = { ...answer(forged), keys: { keys: [scene.real.jwk, scene.foreign.jwk] } };
    const pins = { jwks: { keys: [scene.real.jwk] } };
    const pinned = await ApprovalSet.fromResponse(response, {
      clock: new ManualClock(checkedAt),
      pins,
    });
    const refused = await pinned.find(binding);
    expect(!refused.ok && refused.refusals[0]?.error.code).toBe('ERR_TOKEN_KEY_NOT_PINNED');
  });

  it('demands the use’s minimum of distinct approvers', async () => {
    const set = await online(
      answer(await genuine(scene, { approvers: ['alice', 'bob', 'alice'] })),
    );
    expect((await set.find(binding, { minApprovers: 2 })).ok).toBe(true);
    expect(why(await set.find(binding, { minApprovers: 3 }))).toEqual([
      'service ERR_INSUFFICIENT_APPROVALS: the approval has 2 approver(s); this pack requires 3',
    ]);
  });

  it('tries every token held for the binding, in order, and says why each failed', async () => {
    const expired = await genuine(scene, { exp: expiresAt - 3600 });
    const good = await genuine(scene);
    const set = await online(answer(expired), [good]);
    expect(await set.find(binding)).toMatchObject({ ok: true, held: { token: good } });
    const bad = await online(answer(expired), ['not-a-jwt']);
    expect(why(await bad.find(binding))).toEqual([
      'service ERR_TOKEN_EXPIRED: the approval token has expired',
    ]);
  });

  /** A set listing two approvals (the binding's and otherState's), on a clock that counts reads. */
  const twoListed = async () => {
    const clock = new CountingClock(checkedAt);
    const other = { ...scene, binding: otherState, rid: 'req_2' };
    const response = answer(await genuine(scene));
    const second = { ...otherState, id: 'req_2', token: await genuine(other), expiresAt: '' };
    const approvals = [...response.approvals, second];
    return { clock, set: await online({ ...response, approvals }, [], clock) };
  };

  it('verifies ahead, when asked, each listed token against the binding it is listed under', async () => {
    const { clock, set } = await twoListed();
    set.verifyAhead(binding.stack);
    // One verification per listed token, in the background.
    await vi.waitFor(() => expect(clock.reads).toBe(2));
    expect(await set.find(otherState)).toMatchObject({ ok: true, claims: { rid: 'req_2' } });
    // The use only checks the verified claims.
    expect(clock.reads).toBe(3);
  });

  it('stops verifying ahead at the first lookup, and then verifies only what is asked for', async () => {
    const { clock, set } = await twoListed();
    set.verifyAhead(binding.stack);
    expect((await set.find(binding)).ok).toBe(true);
    // The one verification asked for, and the check of its claims.
    expect(clock.reads).toBe(2);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(clock.reads).toBe(2);
    expect(await set.find(otherState)).toMatchObject({ ok: true, claims: { rid: 'req_2' } });
    expect(clock.reads).toBe(4);
  });

  it('verifies nothing up front, then each token and binding once, checking its time at each use', async () => {
    const clock = new CountingClock(checkedAt);
    const set = await online(answer(await genuine(scene)), [], clock);
    expect(clock.reads).toBe(0);
    await Promise.all([set.find(binding), set.find(binding)]);
    // One verification, and one check of the verified claims per use.
    expect(clock.reads).toBe(3);
    await set.find(binding);
    expect(clock.reads).toBe(4);
  });

  it('keeps the latest request of the other states, by binding key', async () => {
    const pending: CheckResult = {
      ...otherState,
      status: 'pending',
      id: 'req_2',
      url: 'https://clearance.test/requests/req_2',
      progress: '0 of 1',
    };
    const set = await online({ ...answer(await genuine(scene)), requests: [pending] });
    expect(set.requests?.get(bindingKey(otherState))).toBe(pending);
    expect((await online(answer(await genuine(scene)))).requests).toBeUndefined();
  });

  it('judges a token granted since with its keys, whatever the list of active approvals', async () => {
    const set = await online({ approvals: [], keys: { keys: [scene.real.jwk] } });
    expect(await set.judge(await genuine(scene), binding)).toMatchObject({
      ok: true,
      held: { source: 'service' },
    });
    const lookup = await set.judge(await genuine(scene), otherState);
    expect(!lookup.ok && lookup.refusals[0]?.error.code).toBe('ERR_TOKEN_MISMATCH');
  });

  it('refuses a key set it cannot use with a config error', async () => {
    const response = { approvals: [], keys: { keys: 'nope' } } as unknown as ApprovalsResponse;
    await expect(online(response)).rejects.toMatchObject({ code: 'ERR_CONFIG' });
  });
});

describe('ApprovalSet from handed tokens', () => {
  const offline = (tokens: string[], clock = new ManualClock(checkedAt)) =>
    ApprovalSet.fromTokens(handedTokens(tokens), { keys: [scene.real.jwk] }, { clock });

  it('approves on signature and claims alone: revocations are not seen offline', async () => {
    const lookup = await offline([' ', await genuine(scene)]).find(binding);
    expect(lookup).toMatchObject({ ok: true, held: { source: 'handed' } });
  });

  it('says a token claiming this state is bound to another stack', async () => {
    const token = await genuine(scene, { stack: 'acme/shop/dev' });
    expect(why(await offline([token]).find(binding))).toEqual([
      'handed ERR_TOKEN_MISMATCH: the approval token is for another stack',
    ]);
  });

  it('says a token is signed by a key it does not hold', async () => {
    const forged = await signRaw(
      claimsOf(scene),
      { typ: APPROVAL_TOKEN_TYP, kid: scene.foreign.kid },
      scene.foreign.privateKey,
    );
    const lookup = await offline([forged]).find(binding);
    expect(!lookup.ok && lookup.refusals[0]?.error).toMatchObject({
      code: 'ERR_TOKEN_INVALID',
      details: { reason: 'unknown-key' },
    });
  });

  it('refuses an unusable key set with a config error', () => {
    expect(() =>
      ApprovalSet.fromTokens([], { keys: 'nope' } as never, { clock: new ManualClock() }),
    ).toThrow(/not usable/);
  });
});

describe('ApprovalSet.findForResource', () => {
  const target = { stack: binding.stack, urn: binding.urn };

  it('finds an approval of any state of the resource', async () => {
    const token = await genuine({ ...scene, binding: otherState });
    const set = await online(answer(token, otherState));
    expect(await set.findForResource(target)).toMatchObject({
      ok: true,
      claims: { fingerprint: otherState.fingerprint },
    });
  });

  it('counts only the policies it is told, and no other resource', async () => {
    const set = await online(answer(await genuine(scene)));
    expect(await set.findForResource({ ...target, policies: ['aws-iam-admin-grant'] })).toEqual({
      ok: false,
      refusals: [],
    });
    expect(await set.findForResource({ ...target, urn: `${binding.urn}-2` })).toEqual({
      ok: false,
      refusals: [],
    });
    expect((await set.findForResource({ ...target, policies: [binding.policy] })).ok).toBe(true);
  });

  it('looks through handed tokens by the resource they claim, refusing another stack', async () => {
    const token = await genuine(scene, { stack: 'acme/shop/dev' });
    const set = ApprovalSet.fromTokens(
      handedTokens(['aaa.bbb.ccc', token]),
      { keys: [scene.real.jwk] },
      { clock: new ManualClock(checkedAt) },
    );
    expect(why(await set.findForResource(target))).toEqual([
      'handed ERR_TOKEN_MISMATCH: the approval token is for another stack',
    ]);
  });
});
