import { describe, expect, it } from 'vitest';
import { ManualClock } from './clock.js';
import type { ApprovalBinding, ApprovalClaims } from './token-claims.js';
import { assertApprovalHolds, type VerifyOptions } from './verify-token.js';

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

/** Why the claims do not hold at `now` (undefined when they do). */
function whyNot(
  c: ApprovalClaims,
  now: Date,
  minApprovers?: number,
  more: Partial<VerifyOptions> = {},
): string | undefined {
  try {
    assertApprovalHolds(c, { clock: new ManualClock(now), minApprovers, ...more });
    return undefined;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}

describe('assertApprovalHolds', () => {
  const during = new Date(1_767_601_000_000);

  it('accepts claims inside their lifetime', () => {
    expect(whyNot(claims, during)).toBeUndefined();
  });

  it('refuses claims past their expiry', () => {
    expect(whyNot(claims, new Date(claims.exp * 1000))).toMatch(/expired/);
  });

  it('refuses claims outside their window', () => {
    // 2026-01-05 is a Monday; the window only opens on Saturdays.
    const window = { days: ['sat' as const], from: '09:00', to: '17:00', timeZone: 'UTC' };
    expect(whyNot({ ...claims, window }, during)).toMatch(/only holds inside its window/);
  });

  it('counts distinct approvers against the pack’s minimum', () => {
    expect(whyNot(claims, during, 2)).toBeUndefined();
    expect(whyNot(claims, during, 3)).toMatch(/has 2 approver\(s\); this pack requires 3/);
  });

  it('online, refuses claims whose request the service no longer lists as active', () => {
    expect(whyNot(claims, during, 0, { activeRequestIds: new Set(['req_1']) })).toBeUndefined();
    expect(whyNot(claims, during, 0, { activeRequestIds: new Set() })).toBe(
      'approval req_1 is no longer active at the service (revoked or expired)',
    );
  });
});
