import { beforeAll, describe, expect, it } from 'vitest';
import { claimedBinding, parseHandedTokens, splitApprovalTokens } from './handed-tokens.js';
import { genuine, testKey, type AttackScene } from './testing/index.js';
import { bindingKey } from './token-claims.js';

let scene: AttackScene;
beforeAll(async () => {
  const binding = {
    stack: 'acme/shop/prod',
    urn: 'urn:pulumi:prod::shop::aws:ec2/securityGroup:SecurityGroup::web',
    policy: 'aws-security-group-open-ingress',
    fingerprint: 'a'.repeat(64),
  };
  scene = { real: await testKey(), foreign: await testKey(), binding, rid: 'req_1' };
});

describe('splitApprovalTokens', () => {
  it('splits on commas, trims, and drops blanks', () => {
    expect(splitApprovalTokens(' a.b.c, ,d.e.f,,')).toEqual(['a.b.c', 'd.e.f']);
    expect(splitApprovalTokens('')).toEqual([]);
    expect(splitApprovalTokens(undefined)).toEqual([]);
  });
});

describe('parseHandedTokens', () => {
  it('indexes decodable tokens by their claimed binding and keeps the rest unindexed', async () => {
    const token = await genuine(scene);
    const { urn, policy, fingerprint } = scene.binding;
    expect(claimedBinding(token)).toEqual({ urn, policy, fingerprint });
    expect(parseHandedTokens(`${token},not-a-jwt,,`)).toEqual([
      { token, key: bindingKey(scene.binding) },
      { token: 'not-a-jwt', key: undefined },
    ]);
  });

  it('leaves unindexed a token whose claims lack a binding', async () => {
    const token = await genuine(scene, { fingerprint: 42 });
    expect(parseHandedTokens(token)).toEqual([{ token, key: undefined }]);
  });
});
