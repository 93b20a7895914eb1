import { createLocalJWKSet, type JWTVerifyGetKey } from 'jose';
import { describe, expect, it } from 'vitest';
import type { ApprovalBinding, ApprovalClaims } from '@clearance/client';
import { tokenIssuer } from './gate-fixtures.js';
import { stillValid, VerifiedTokens } from './verified-tokens.js';

const binding: ApprovalBinding = {
  stack: 'acme/shop/prod',
  urn: 'urn:pulumi:prod::shop::aws:ec2/securityGroup:SecurityGroup::web',
  policy: 'aws-security-group-open-ingress',
  fingerprint: 'c'.repeat(64),
};

const claims: ApprovalClaims = {
  iss: 'clearance',
  aud: 'clearance-policy-pack',
  jti: 'tok_1',
  iat: 1_767_600_000,
  nbf: 1_767_600_000,
  exp: 1_767_603_600,
  rid: 'req_1',
  org: 'acme',
  project: 'shop',
  ...binding,
  approvers: ['alice', 'bob', 'alice'],
};

describe('VerifiedTokens', () => {
  it('verifies each token and binding once per run', async () => {
    const issuer = await tokenIssuer();
    const token = await issuer.issue(binding);
    const jwks = createLocalJWKSet(issuer.jwks());
    let lookups = 0;
    const keys: JWTVerifyGetKey = (header, input) => {
      lookups++;
      return jwks(header, input);
    };
    const tokens = new VerifiedTokens(keys, issuer.clock);
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
});

describe('stillValid', () => {
  const during = new Date(1_767_601_000_000);

  it('accepts claims inside their lifetime', () => {
    expect(stillValid(claims, during)).toBeUndefined();
  });

  it('refuses claims past their expiry', () => {
    expect(stillValid(claims, new Date(claims.exp * 1000))).toMatch(/expired/);
  });

  it('refuses claims outside their window', () => {
    // 2026-01-05 is a Monday; the window only opens on Saturdays.
    const window = { days: ['sat' as const], from: '09:00', to: '17:00', timeZone: 'UTC' };
    expect(stillValid({ ...claims, window }, during)).toMatch(/only holds inside its window/);
  });

  it('counts distinct approvers against the pack’s minimum', () => {
    expect(stillValid(claims, during, 2)).toBeUndefined();
    expect(stillValid(claims, during, 3)).toMatch(/has 2 approver\(s\); this pack requires 3/);
  });
});
