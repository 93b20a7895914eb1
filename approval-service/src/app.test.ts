import { createLocalJWKSet, decodeProtectedHeader, type JSONWebKeySet } from 'jose';
import { describe, expect, it } from 'vitest';
import { isClearanceError, verifyApprovalToken, type RequestView } from '@clearance/client';
import {
  appHarness,
  errorOf,
  publicUrl,
  requestBody,
  requestFor,
  type Harness,
} from './http/app-harness.case.js';

const binding = {
  stack: requestBody.stack,
  urn: requestBody.urn,
  policy: requestBody.policy,
  fingerprint: requestBody.fingerprint,
};

async function verifyAgainstJwks(h: Harness, token: string): Promise<string> {
  const jwks = (await (await h.call('GET', '/.well-known/jwks.json')).json()) as JSONWebKeySet;
  try {
    await verifyApprovalToken(token, createLocalJWKSet(jwks), binding, { clock: h.clock });
    return 'valid';
  } catch (err) {
    if (isClearanceError(err)) return err.code;
    throw err;
  }
}

async function openRequest(
  h: Harness,
  as: 'alice' | 'bob' | 'carol' = 'carol',
  body: object = requestBody,
) {
  const res = await h.call('POST', '/v1/requests', { as, body });
  expect(res.status).toBe(201);
  return (await res.json()) as RequestView;
}

async function approvedRequest(h: Harness): Promise<RequestView> {
  const { id } = await openRequest(h);
  await h.json('POST', `/v1/requests/${id}/reviews`, 'alice', {
    decision: 'approve',
    reason: 'ok',
  });
  return h.json('POST', `/v1/requests/${id}/reviews`, 'bob', { decision: 'approve', reason: 'ok' });
}

describe('the approval flow in process', () => {
  it('goes from request through the quorum to a token that verifies against the JWKS', async () => {
    const h = await appHarness();
    const created = await openRequest(h);
    expect(created).toMatchObject({
      status: 'pending',
      url: `${publicUrl}/requests/${created.id}`,
      requester: 'carol',
      requirements: {
        rule: 'default',
        approvals: 2,
        approverGroups: ['managers'],
        maxDurationSeconds: 3600,
      },
      progress: { approvals: 0, required: 2, text: '0 of 2 managers' },
      expiresAt: '2026-01-06T09:00:00.000Z',
    });
    expect(created.id).toMatch(/^req_[A-Za-z0-9_-]{22}$/);

    h.clock.advanceSeconds(60);
    const first = await h.json('POST', `/v1/requests/${created.id}/reviews`, 'alice', {
      decision: 'approve',
      reason: 'looks fine',
    });
    expect(first.status).toBe('pending');
    expect(first.progress.text).toBe('1 of 2 managers');
    expect(first.token).toBeUndefined();

    h.clock.advanceSeconds(60);
    const second = await h.json('POST', `/v1/requests/${created.id}/reviews`, 'bob', {
      decision: 'approve',
      reason: 'ok',
    });
    expect(second).toMatchObject({
      status: 'approved',
      decidedAt: '2026-01-05T09:02:00.000Z',
      expiresAt: '2026-01-05T10:02:00.000Z',
      progress: { text: '2 of 2 managers' },
    });
    const token = second.token ?? '';
    expect(decodeProtectedHeader(token).kid).toBe(h.signer.kid);
    const jwks = (await (await h.call('GET', '/.well-known/jwks.json')).json()) as JSONWebKeySet;
    const claims = await verifyApprovalToken(token, createLocalJWKSet(jwks), binding, {
      clock: h.clock,
    });
    expect(claims).toMatchObject({
      org: 'acme',
      project: 'web',
      stack: 'acme/web/prod',
      urn: requestBody.urn,
      policy: requestBody.policy,
      fingerprint: requestBody.fingerprint,
      rid: created.id,
      approvers: ['alice', 'bob'],
      exp: Date.parse('2026-01-05T10:02:00Z') / 1000,
    });

    const read = await h.json('GET', `/v1/requests/${created.id}`, 'carol');
    expect(read.token).toBe(token);
    const actions = (await h.store.readAudit()).map((e) => e.action);
    expect(actions).toEqual([
      'request.created',
      'review.approve',
      'review.approve',
      'request.approved',
      'token.issued',
    ]);
    const issued = (await h.store.readAudit({ action: 'token.issued' }))[0];
    expect(issued?.data?.tokenId).toBe(claims.jti);
    expect(JSON.stringify(await h.store.readAudit())).not.toContain(token);
    expect(h.notifications.map((n) => n.type)).toEqual(['request.created', 'request.approved']);
  });

  it('answers a repeated request with the existing one (200, same id) while pending or approved', async () => {
    const h = await appHarness();
    const created = await openRequest(h);
    const again = await h.call('POST', '/v1/requests', { as: 'bob', body: requestBody });
    expect(again.status).toBe(200);
    expect(((await again.json()) as RequestView).id).toBe(created.id);
    for (const as of ['alice', 'bob'] as const) {
      await h.json('POST', `/v1/requests/${created.id}/reviews`, as, { decision: 'approve' });
    }
    const approved = await h.call('POST', '/v1/requests', { as: 'carol', body: requestBody });
    expect(approved.status).toBe(200);
    expect(((await approved.json()) as RequestView).id).toBe(created.id);
    h.clock.advanceSeconds(3600);
    const fresh = await openRequest(h);
    expect(fresh.id).not.toBe(created.id);
    expect((await h.store.listRequests()).length).toBe(2);
  });

  it('takes requirements from the rules, never from the body', async () => {
    const h = await appHarness();
    const sneaky = await h.call('POST', '/v1/requests', {
      as: 'carol',
      body: { ...requestBody, requirements: { approvals: 1 }, approvals: 1 },
    });
    expect(await errorOf(sneaky)).toMatchObject({
      status: 400,
      code: 'ERR_VALIDATION',
      message: expect.stringContaining('approvals'),
    });
    const asked = await openRequest(h);
    expect(asked.requirements.maxDurationSeconds).toBe(3600);
  });

  it('refuses a duration above the rule maximum with 400 ERR_DURATION_TOO_LONG, writing nothing', async () => {
    const h = await appHarness();
    const long = await h.call('POST', '/v1/requests', {
      as: 'carol',
      body: { ...requestBody, durationSeconds: 3 * 3600 },
    });
    expect(await errorOf(long)).toMatchObject({
      status: 400,
      code: 'ERR_DURATION_TOO_LONG',
      message: expect.stringContaining('at most 3600 s'),
    });
    expect(await h.snapshot()).toEqual({ requests: [], audit: [] });

    const { id } = await openRequest(h);
    const before = await h.snapshot();
    const review = await h.call('POST', `/v1/requests/${id}/reviews`, {
      as: 'alice',
      body: { decision: 'approve', reason: '', durationSeconds: 2 * 3600 },
    });
    expect(await errorOf(review)).toMatchObject({ status: 400, code: 'ERR_DURATION_TOO_LONG' });
    expect(await h.snapshot()).toEqual(before);
  });

  it('lets an approver shorten the approval', async () => {
    const h = await appHarness();
    const { id } = await openRequest(h);
    await h.json('POST', `/v1/requests/${id}/reviews`, 'alice', {
      decision: 'approve',
      reason: '',
      durationSeconds: 600,
    });
    const approved = await h.json('POST', `/v1/requests/${id}/reviews`, 'bob', {
      decision: 'approve',
      reason: '',
    });
    expect(approved.expiresAt).toBe('2026-01-05T09:10:00.000Z');
  });
});

describe('refusals', () => {
  it('refuses self-approval', async () => {
    const h = await appHarness();
    const { id } = await openRequest(h, 'alice');
    const res = await h.call('POST', `/v1/requests/${id}/reviews`, {
      as: 'alice',
      body: { decision: 'approve' },
    });
    expect(await errorOf(res)).toMatchObject({ status: 403, code: 'ERR_SELF_REVIEW' });
  });

  it('refuses a reviewer outside the approver groups', async () => {
    const h = await appHarness();
    const { id } = await openRequest(h, 'alice');
    const res = await h.call('POST', `/v1/requests/${id}/reviews`, {
      as: 'carol',
      body: { decision: 'approve' },
    });
    expect(await errorOf(res)).toMatchObject({ status: 403, code: 'ERR_NOT_ELIGIBLE' });
  });

  it('refuses a double vote, which does not count twice', async () => {
    const h = await appHarness();
    const { id } = await openRequest(h);
    await h.json('POST', `/v1/requests/${id}/reviews`, 'alice', { decision: 'approve' });
    const res = await h.call('POST', `/v1/requests/${id}/reviews`, {
      as: 'alice',
      body: { decision: 'approve' },
    });
    expect(await errorOf(res)).toMatchObject({ status: 409, code: 'ERR_ALREADY_VOTED' });
    const after = await h.json('GET', `/v1/requests/${id}`, 'carol');
    expect(after).toMatchObject({
      status: 'pending',
      progress: { approvals: 1, text: '1 of 2 managers' },
    });
  });

  it('refuses a decision after a decision', async () => {
    const h = await appHarness();
    const approved = await approvedRequest(h);
    const again = await h.call('POST', `/v1/requests/${approved.id}/reviews`, {
      as: 'bob',
      body: { decision: 'deny' },
    });
    expect(await errorOf(again)).toMatchObject({ status: 409, code: 'ERR_ALREADY_DECIDED' });
    const other = await openRequest(h, 'carol', requestFor({ material: { state: 2 } }));
    await h.json('POST', `/v1/requests/${other.id}/reviews`, 'bob', {
      decision: 'deny',
      reason: 'too broad',
    });
    const late = await h.call('POST', `/v1/requests/${other.id}/reviews`, {
      as: 'alice',
      body: { decision: 'approve' },
    });
    expect(await errorOf(late)).toMatchObject({ status: 409, code: 'ERR_ALREADY_DECIDED' });
  });

  it('refuses a decision on an expired pending request', async () => {
    const h = await appHarness();
    const { id } = await openRequest(h);
    h.clock.advanceSeconds(86_400);
    const res = await h.call('POST', `/v1/requests/${id}/reviews`, {
      as: 'alice',
      body: { decision: 'approve' },
    });
    expect(await errorOf(res)).toMatchObject({ status: 409, code: 'ERR_REQUEST_EXPIRED' });
    expect((await h.json('GET', `/v1/requests/${id}`, 'carol')).status).toBe('expired');
  });

  it('refuses a requester outside the requester groups, writing nothing', async () => {
    const h = await appHarness({
      rules: [
        {
          name: 'prod',
          policies: ['*'],
          stacks: ['*/*/prod'],
          approvals: 1,
          approverGroups: ['managers'],
          requesterGroups: ['deployers'],
          maxDurationSeconds: 600,
          reasonRequired: false,
        },
      ],
    });
    const res = await h.call('POST', '/v1/requests', { as: 'alice', body: requestBody });
    expect(await errorOf(res)).toMatchObject({ status: 403, code: 'ERR_REQUESTER_NOT_ALLOWED' });
    expect(await h.snapshot()).toEqual({ requests: [], audit: [] });
    expect((await openRequest(h, 'carol')).requirements.rule).toBe('prod');
  });

  it('refuses a decision outside the rule window', async () => {
    const window = { days: ['mon' as const], from: '09:00', to: '10:00', timeZone: 'Europe/Paris' };
    const h = await appHarness({
      defaultRule: { ...(await appHarness()).config.defaultRule, window },
    });
    const { id } = await openRequest(h);
    const res = await h.call('POST', `/v1/requests/${id}/reviews`, {
      as: 'alice',
      body: { decision: 'approve' },
    });
    expect(await errorOf(res)).toMatchObject({ status: 403, code: 'ERR_OUTSIDE_WINDOW' });
    h.clock.set('2026-01-05T08:00:00Z');
    expect(
      (await h.json('POST', `/v1/requests/${id}/reviews`, 'alice', { decision: 'approve' }))
        .progress.approvals,
    ).toBe(1);
  });
});

describe('time edges', () => {
  it('keeps an approval valid 1 s before its expiry and not 1 s after', async () => {
    const h = await appHarness();
    const approved = await approvedRequest(h);
    const token = approved.token ?? '';
    const check = async () =>
      (
        await h.json<{ results: { status: string }[] }>('POST', '/v1/checks', 'carol', {
          stack: binding.stack,
          items: [{ urn: binding.urn, policy: binding.policy, fingerprint: binding.fingerprint }],
        })
      ).results[0]?.status;
    h.clock.set(Date.parse(approved.expiresAt) - 1000);
    expect(await verifyAgainstJwks(h, token)).toBe('valid');
    expect(await check()).toBe('approved');
    h.clock.set(Date.parse(approved.expiresAt) + 1000);
    expect(await verifyAgainstJwks(h, token)).toBe('ERR_TOKEN_EXPIRED');
    expect(await check()).toBe('expired');
  });
});

describe('windows and pending expiry from the config', () => {
  it('puts the rule window in the token, so it stops verifying when the window closes', async () => {
    const window = {
      days: ['mon' as const],
      from: '09:00',
      to: '10:00',
      timeZone: 'Europe/Paris',
    };
    const base = await appHarness();
    const h = await appHarness({ defaultRule: { ...base.config.defaultRule, window } });
    h.clock.set('2026-01-05T08:30:00Z');
    const approved = await approvedRequest(h);
    expect(approved.expiresAt).toBe('2026-01-05T09:30:00.000Z');
    const jwks = (await (await h.call('GET', '/.well-known/jwks.json')).json()) as JSONWebKeySet;
    const claims = await verifyApprovalToken(
      approved.token ?? '',
      createLocalJWKSet(jwks),
      binding,
      {
        clock: h.clock,
      },
    );
    expect(claims.window).toEqual(window);
    h.clock.set('2026-01-05T08:59:59Z');
    expect(await verifyAgainstJwks(h, approved.token ?? '')).toBe('valid');
    h.clock.set('2026-01-05T09:00:00Z');
    expect(await verifyAgainstJwks(h, approved.token ?? '')).toBe('ERR_OUTSIDE_WINDOW');
  });

  it('lets a pending request lapse after the configured pendingTtlSeconds', async () => {
    const h = await appHarness({ pendingTtlSeconds: 600 });
    const { id, expiresAt } = await openRequest(h);
    expect(expiresAt).toBe('2026-01-05T09:10:00.000Z');
    h.clock.set('2026-01-05T09:09:59Z');
    await h.json('POST', `/v1/requests/${id}/reviews`, 'alice', { decision: 'approve' });
    h.clock.set('2026-01-05T09:10:00Z');
    const late = await h.call('POST', `/v1/requests/${id}/reviews`, {
      as: 'bob',
      body: { decision: 'approve' },
    });
    expect(await errorOf(late)).toMatchObject({ status: 409, code: 'ERR_REQUEST_EXPIRED' });
    expect(await h.services.requests.expireDue()).toBe(1);
    expect((await h.store.readAudit({ action: 'request.expired' }))[0]).toMatchObject({
      actor: 'system',
      subject: id,
      data: { previousStatus: 'pending', expiredAt: '2026-01-05T09:10:00.000Z' },
    });
  });
});

describe('key rotation', () => {
  it('keeps tokens signed before a rotation verifiable and signs new ones with the new key', async () => {
    const h = await appHarness();
    const before = await approvedRequest(h);
    // The signer rotated as `clearance rotate-key` rotates it (whose audit rotate-key.test pins).
    const { kid, retiredKid } = await h.signer.rotate();
    const jwks = (await (await h.call('GET', '/.well-known/jwks.json')).json()) as JSONWebKeySet;
    expect(jwks.keys.map((k) => k.kid)).toEqual([kid, retiredKid]);
    expect(await verifyAgainstJwks(h, before.token ?? '')).toBe('valid');
    await h.json('POST', `/v1/requests/${before.id}/revoke`, 'carol', {});
    const after = await approvedRequest(h);
    expect(decodeProtectedHeader(after.token ?? '').kid).toBe(kid);
    expect(await verifyAgainstJwks(h, after.token ?? '')).toBe('valid');
  });
});
