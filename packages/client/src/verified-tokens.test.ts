import { createLocalJWKSet, type JWTVerifyGetKey } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from './clock.js';
import { checkedAt, genuine, testKey, type AttackScene } from './testing/index.js';
import type { ApprovalBinding } from './token-claims.js';
import { VerifiedTokens } from './verified-tokens.js';

const binding: ApprovalBinding = {
  stack: 'acme/shop/prod',
  urn: 'urn:pulumi:prod::shop::aws:ec2/securityGroup:SecurityGroup::web',
  policy: 'aws-security-group-open-ingress',
  fingerprint: 'c'.repeat(64),
};

let scene: AttackScene;
beforeAll(async () => {
  scene = { real: await testKey(), foreign: await testKey(), binding, rid: 'req_1' };
});

describe('VerifiedTokens', () => {
  it('verifies each token and binding once per run', async () => {
    const token = await genuine(scene);
    const jwks = createLocalJWKSet({ keys: [scene.real.jwk] });
    let lookups = 0;
    const keys: JWTVerifyGetKey = (header, input) => {
      lookups++;
      return jwks(header, input);
    };
    const tokens = new VerifiedTokens(keys, new ManualClock(checkedAt));
    const [a, b] = await Promise.all([
      tokens.verify(token, binding),
      tokens.verify(token, binding),
    ]);
    expect(a).toBe(b);
    expect(lookups).toBe(1);
    const other = { ...binding, stack: 'acme/shop/dev' };
    await expect(tokens.verify(token, other)).rejects.toThrow(/another stack/);
    expect(lookups).toBe(2);
  });

  it('verifies a pair ahead once, and keeps no refusal found ahead: the use decides it again', async () => {
    const jwks = createLocalJWKSet({ keys: [scene.real.jwk] });
    let lookups = 0;
    const keys: JWTVerifyGetKey = (header, input) => {
      lookups++;
      return jwks(header, input);
    };
    const clock = new ManualClock(checkedAt);
    const tokens = new VerifiedTokens(keys, clock);
    const token = await genuine(scene);
    await tokens.verifyAhead(token, binding);
    await tokens.verifyAhead(token, binding);
    expect(lookups).toBe(1);
    await tokens.verify(token, binding);
    expect(lookups).toBe(1);

    const later = checkedAt.getTime() / 1000 + 60;
    const notYet = await genuine({ ...scene, rid: 'req_2' }, { nbf: later });
    await tokens.verifyAhead(notYet, binding);
    expect(lookups).toBe(2);
    clock.set(later * 1000);
    await expect(tokens.verify(notYet, binding)).resolves.toMatchObject({ rid: 'req_2' });
    expect(lookups).toBe(3);
  });
});
