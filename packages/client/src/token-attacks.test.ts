import { beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from './clock.js';
import { isClearanceError } from './errors.js';
import {
  attacks,
  checkedAt,
  expectedRefusal,
  genuine,
  testKey,
  type Attack,
  type AttackScene,
} from './testing/index.js';
import type { ApprovalBinding } from './token-claims.js';
import { trustedKeys, type KeyPins } from './trusted-keys.js';
import { verifyApprovalToken } from './verify-token.js';

const binding: ApprovalBinding = {
  stack: 'acme/web/prod',
  urn: 'urn:pulumi:prod::web::aws:ec2/securityGroup:SecurityGroup::ssh',
  policy: 'aws-security-group-open-ingress',
  fingerprint: '7a'.repeat(32),
};

let scene: AttackScene;
beforeAll(async () => {
  scene = { real: await testKey(), foreign: await testKey(), binding, rid: 'req_1' };
});

/**
 * Without pins the verifier trusts what the service serves (the real key). With pins (the real
 * key), the service, or whoever answers in its place, also serves the attacker's key.
 */
async function verifierKeys(pinned: boolean) {
  if (!pinned) return trustedKeys({ keys: [scene.real.jwk] });
  const pins: KeyPins = { jwks: { keys: [scene.real.jwk] } };
  return trustedKeys({ keys: [scene.real.jwk, scene.foreign.jwk] }, pins);
}

/** 'valid', or the code and details the token is refused with, checked online. */
async function outcome(token: string, attack: Partial<Attack>, pinned: boolean) {
  try {
    await verifyApprovalToken(token, await verifierKeys(pinned), binding, {
      clock: new ManualClock(attack.at ?? checkedAt),
      activeRequestIds: new Set(attack.revoked ? [] : [scene.rid]),
    });
    return 'valid';
  } catch (err) {
    if (!isClearanceError(err)) throw err;
    return err.details ? { code: err.code, details: err.details } : { code: err.code };
  }
}

describe.each([
  { keys: 'the served keys', pinned: false },
  { keys: 'pinned keys', pinned: true },
])('verifyApprovalToken against $keys', ({ pinned }) => {
  it('accepts the genuine token the attacks are forged from', async () => {
    expect(await outcome(await genuine(scene), {}, pinned)).toBe('valid');
  });

  const cases = attacks.filter((a) => pinned || !a.pinnedOnly);
  it.each(cases.map((a) => [a.name, a] as const))('refuses %s', async (_name, attack) => {
    const token = await attack.forge(scene);
    expect(await outcome(token, attack, pinned)).toEqual(expectedRefusal(attack, pinned));
  });
});

describe('the attack table', () => {
  it('names every attack of the issue once', () => {
    const names = attacks.map((a) => a.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toHaveLength(17);
  });

  it('gives the algorithm, embedded-key, revocation and pinning attacks codes of their own', () => {
    const codeOf = (prefix: string) => attacks.find((a) => a.name.startsWith(prefix))?.code;
    const own = ['alg: none', 'an embedded jwk', 'revoked', 'expired', 'not yet', 'an unpinned'];
    const codes = own.map(codeOf);
    expect(new Set(codes).size).toBe(own.length);
    expect(codes).not.toContain('ERR_TOKEN_INVALID');
  });
});
