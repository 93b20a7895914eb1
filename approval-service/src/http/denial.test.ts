import { describe, expect, it } from 'vitest';
import type { CheckResult, RequestView } from '@clearance/client';
import type { ServiceConfig } from '../config/config-schema.js';
import { appHarness, errorOf, requestBody, type Harness } from './app-harness.case.js';

async function deniedRequest(
  overrides: Partial<ServiceConfig> = {},
): Promise<{ h: Harness; denied: RequestView }> {
  const h = await appHarness(overrides);
  const { id } = await h.json<RequestView>('POST', '/v1/requests', 'carol', requestBody);
  const denied = await h.json<RequestView>('POST', `/v1/requests/${id}/reviews`, 'bob', {
    decision: 'deny',
    reason: 'too wide',
  });
  return { h, denied };
}

const reopen = (h: Harness, id: string, as: 'alice' | 'bob' | 'carol', reason = 'scoped now') =>
  h.call('POST', `/v1/requests/${id}/reopen`, { as, body: { reason } });

async function checkStatus(h: Harness): Promise<CheckResult['status']> {
  const { results } = await h.json<{ results: CheckResult[] }>('POST', '/v1/checks', 'carol', {
    stack: requestBody.stack,
    items: [
      { urn: requestBody.urn, policy: requestBody.policy, fingerprint: requestBody.fingerprint },
    ],
  });
  return results[0]?.status ?? 'none';
}

describe('a denial sticks to the change it denied', () => {
  it('refuses the identical change under a new id (409 ERR_DENIED, nothing written), by anyone', async () => {
    const { h, denied } = await deniedRequest();
    for (const as of ['carol', 'alice'] as const) {
      const before = await h.snapshot();
      const again = await h.call('POST', '/v1/requests', { as, body: requestBody });
      expect(await errorOf(again)).toEqual({
        status: 409,
        code: 'ERR_DENIED',
        message: `this change was denied by bob ("too wide") in request ${denied.id}; it stays denied until an approver reopens that request`,
      });
      expect(await h.snapshot()).toEqual(before);
    }
    h.clock.advanceSeconds(365 * 86_400);
    expect(
      (await errorOf(await h.call('POST', '/v1/requests', { as: 'carol', body: requestBody })))
        .code,
    ).toBe('ERR_DENIED');
    expect(await checkStatus(h)).toBe('denied');
  });

  it('until an approver reopens it: audited, then the change may be asked for again', async () => {
    const { h, denied } = await deniedRequest();
    expect(await errorOf(await reopen(h, denied.id, 'carol'))).toMatchObject({
      status: 403,
      code: 'ERR_SELF_REVIEW',
    });
    const res = await reopen(h, denied.id, 'alice');
    expect(res.status).toBe(200);
    const view = (await res.json()) as RequestView;
    expect(view).toMatchObject({
      status: 'denied',
      reopenedBy: 'alice',
      reopenReason: 'scoped now',
    });
    const [event] = await h.store.readAudit({ action: 'request.reopened' });
    expect(event).toMatchObject({
      actor: 'alice',
      subject: denied.id,
      data: { reason: 'scoped now', deniedBy: 'bob', fingerprint: requestBody.fingerprint },
    });
    expect(await errorOf(await reopen(h, denied.id, 'bob'))).toMatchObject({
      status: 409,
      code: 'ERR_CONFLICT',
    });
    expect(await checkStatus(h)).toBe('none');
    const fresh = await h.call('POST', '/v1/requests', { as: 'carol', body: requestBody });
    expect(fresh.status).toBe(201);
    expect(((await fresh.json()) as RequestView).id).not.toBe(denied.id);
    expect(await checkStatus(h)).toBe('pending');
  });

  it('refuses to reopen what is not denied, and callers outside the approver groups', async () => {
    const h = await appHarness();
    const { id } = await h.json<RequestView>('POST', '/v1/requests', 'carol', requestBody);
    expect(await errorOf(await reopen(h, id, 'alice'))).toMatchObject({
      status: 409,
      code: 'ERR_CONFLICT',
      message: `only a denied request can be reopened; request ${id} is pending`,
    });
    await h.json('POST', `/v1/requests/${id}/reviews`, 'bob', { decision: 'deny' });
    const dave = { id: 'dave', displayName: 'Dave', groups: ['deployers'] };
    await expect(h.services.requests.reopen(dave, id, {})).rejects.toMatchObject({
      code: 'ERR_NOT_ELIGIBLE',
    });
    const none = await h.call('POST', `/v1/requests/req_nope/reopen`, { as: 'alice', body: {} });
    expect((await errorOf(none)).code).toBe('ERR_NOT_FOUND');
    expect(await h.store.readAudit({ action: 'request.reopened' })).toEqual([]);
  });

  it('or until the configured cooldown ends: audited when the change is asked for again', async () => {
    const { h, denied } = await deniedRequest({ denialCooldownSeconds: 600 });
    expect(denied.denialEndsAt).toBe('2026-01-05T09:10:00.000Z');
    h.clock.advanceSeconds(599);
    const early = await errorOf(
      await h.call('POST', '/v1/requests', { as: 'carol', body: requestBody }),
    );
    expect(early).toMatchObject({ status: 409, code: 'ERR_DENIED' });
    expect(early.message).toMatch(/, or until 2026-01-05T09:10:00\.000Z$/);
    expect(await checkStatus(h)).toBe('denied');
    h.clock.advanceSeconds(1);
    expect(await checkStatus(h)).toBe('none');
    const fresh = await h.call('POST', '/v1/requests', { as: 'carol', body: requestBody });
    expect(fresh.status).toBe(201);
    const created = (await fresh.json()) as RequestView;
    const trail = (await h.store.readAudit()).slice(-2);
    expect(trail.map((e) => [e.action, e.subject, e.actor])).toEqual([
      ['request.denial-lapsed', denied.id, 'system'],
      ['request.created', created.id, 'carol'],
    ]);
    expect(trail[0]?.data).toEqual({
      deniedAt: denied.decidedAt,
      cooldownSeconds: 600,
      endedAt: '2026-01-05T09:10:00.000Z',
    });
  });
});
