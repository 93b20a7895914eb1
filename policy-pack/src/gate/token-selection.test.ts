import { describe, expect, it } from 'vitest';
import {
  ApprovalSet,
  bindingKey,
  ManualClock,
  parseHandedTokens,
  type ApprovalBinding,
  type ApprovalsResponse,
  type Clock,
  type HandedToken,
} from '@clearance/client';
import type { JSONWebKeySet } from 'jose';
import { tokenIssuer } from '../testing/index.js';
import { selectApproval } from './token-selection.js';

const binding: ApprovalBinding = {
  stack: 'acme/shop/prod',
  urn: 'urn:pulumi:prod::shop::aws:ec2/securityGroup:SecurityGroup::web',
  policy: 'aws-security-group-open-ingress',
  fingerprint: 'a'.repeat(64),
};
const key = bindingKey(binding);

/** What an online run holds after its one `GET /v1/approvals`. */
const onlineApprovals = (
  response: ApprovalsResponse,
  handed: readonly HandedToken[],
  clock: Clock,
) => ApprovalSet.fromResponse(response, { clock, handed });

/** What an offline run holds: the handed tokens and the pinned keys. */
const offlineApprovals = (jwks: JSONWebKeySet, handed: readonly HandedToken[], clock: Clock) =>
  ApprovalSet.fromTokens(handed, jwks, { clock });

async function setup() {
  const issuer = await tokenIssuer();
  const token = await issuer.issue(binding, { rid: 'req_1' });
  const listed = { id: 'req_1', ...binding, token, expiresAt: '2026-01-05T10:00:00.000Z' };
  return { issuer, token, listed };
}

describe('selectApproval', () => {
  it('accepts a service approval bound to exactly this state', async () => {
    const { issuer, listed } = await setup();
    const held = await onlineApprovals(
      { approvals: [listed], keys: issuer.jwks() },
      [],
      issuer.clock,
    );
    const selection = await selectApproval(held, binding, {});
    expect(selection).toMatchObject({ ok: true, claims: { rid: 'req_1' } });
  });

  it('has nothing to offer for another state', async () => {
    const { issuer, listed } = await setup();
    const held = await onlineApprovals(
      { approvals: [listed], keys: issuer.jwks() },
      [],
      issuer.clock,
    );
    const other = { ...binding, fingerprint: 'b'.repeat(64) };
    const selection = await selectApproval(held, other, {});
    expect(selection).toEqual({ ok: false, rejections: [] });
  });

  it('refuses an expired token and says why', async () => {
    const { issuer, listed } = await setup();
    const held = await onlineApprovals(
      { approvals: [listed], keys: issuer.jwks() },
      [],
      issuer.clock,
    );
    issuer.clock.advanceSeconds(3601);
    const selection = await selectApproval(held, binding, {});
    expect(selection.ok).toBe(false);
    expect(!selection.ok && selection.rejections[0]).toMatch(/expired/);
  });

  it('refuses a token signed by a key the service does not publish', async () => {
    const { listed } = await setup();
    const stranger = await tokenIssuer();
    const held = await onlineApprovals(
      { approvals: [listed], keys: stranger.jwks() },
      [],
      stranger.clock,
    );
    const selection = await selectApproval(held, binding, {});
    expect(selection.ok).toBe(false);
  });

  it('demands the pack’s minimum of approvers', async () => {
    const issuer = await tokenIssuer();
    const token = await issuer.issue(binding, { approvers: ['alice'] });
    const listed = { id: 'req_1', ...binding, token, expiresAt: '' };
    const held = await onlineApprovals(
      { approvals: [listed], keys: issuer.jwks() },
      [],
      issuer.clock,
    );
    const options = { minApprovers: 2 };
    const selection = await selectApproval(held, binding, options);
    expect(!selection.ok && selection.rejections[0]).toMatch(/requires 2/);
    expect((await selectApproval(held, binding, {})).ok).toBe(true);
  });

  it('online, honours a handed token only while the service lists its approval as active', async () => {
    const { issuer, token, listed } = await setup();
    const handed = parseHandedTokens(token);
    const active = await onlineApprovals(
      { approvals: [listed], keys: issuer.jwks() },
      handed,
      issuer.clock,
    );
    expect(active.candidates(binding)).toHaveLength(2);
    const revoked = await onlineApprovals(
      { approvals: [], keys: issuer.jwks() },
      handed,
      issuer.clock,
    );
    const selection = await selectApproval(revoked, binding, {});
    expect(!selection.ok && selection.rejections[0]).toMatch(
      /CLEARANCE_APPROVAL_TOKENS: approval req_1 is no longer active/,
    );
  });

  it('offline, honours a handed token on signature and claims alone', async () => {
    const { issuer, token } = await setup();
    const held = offlineApprovals(issuer.jwks(), parseHandedTokens(` ,${token}, `), issuer.clock);
    const selection = await selectApproval(held, binding, {});
    expect(selection.ok).toBe(true);
  });

  it('refuses a handed token claiming this state but bound to another stack', async () => {
    const issuer = await tokenIssuer();
    const token = await issuer.issue({ ...binding, stack: 'acme/shop/dev' });
    const held = offlineApprovals(issuer.jwks(), parseHandedTokens(token), issuer.clock);
    const selection = await selectApproval(held, binding, {});
    expect(!selection.ok && selection.rejections[0]).toMatch(/another stack/);
  });
});

describe('parseHandedTokens', () => {
  it('indexes decodable tokens by their claimed binding and keeps the rest unindexed', async () => {
    const { token } = await setup();
    const parsed = parseHandedTokens(`${token},not-a-jwt,,`);
    expect(parsed).toEqual([
      { token, key },
      { token: 'not-a-jwt', key: undefined },
    ]);
    expect(parseHandedTokens(undefined)).toEqual([]);
  });
});

describe('held approvals', () => {
  it('refuses an unusable key set with a config error', () => {
    expect(() => offlineApprovals({ keys: 'nope' } as never, [], new ManualClock())).toThrow(
      /not usable/,
    );
  });
});
