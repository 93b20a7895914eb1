import { describe, expect, it, vi } from 'vitest';
import { createServices } from '../app.js';
import type { Actor } from '../domain/model.js';
import { appHarness, requestBody, requestFor } from '../http/app-harness.case.js';
import { EXPIRY_BATCH } from './request-lifecycle.js';
import type { RequestListFilter } from './request-page.js';

function actor(h: Awaited<ReturnType<typeof appHarness>>, token: string): Actor {
  const found = h.services.auth.authenticateToken(token);
  if (!found) throw new Error(`token ${token} not accepted`);
  return found;
}

describe('RequestLifecycle', () => {
  it('creates one request when the same one is asked for concurrently', async () => {
    const h = await appHarness();
    const carol = actor(h, 'demo-carol');
    const results = await Promise.all(
      Array.from({ length: 5 }, () => h.services.requests.createRequest(carol, requestBody)),
    );
    expect(new Set(results.map((r) => r.request.id)).size).toBe(1);
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(await h.store.listRequests()).toHaveLength(1);
  });

  it('counts concurrent approvals by different managers exactly once each', async () => {
    const h = await appHarness();
    const { request } = await h.services.requests.createRequest(
      actor(h, 'demo-carol'),
      requestBody,
    );
    const [a, b] = await Promise.all([
      h.services.requests.review(actor(h, 'demo-alice'), request.id, { decision: 'approve' }),
      h.services.requests.review(actor(h, 'demo-bob'), request.id, { decision: 'approve' }),
    ]);
    expect([a?.status, b?.status]).toEqual(['pending', 'approved']);
    expect((await h.store.readAudit({ action: 'token.issued' })).length).toBe(1);
  });

  it('sweeps lapsed requests to expired, audited once, with a notification', async () => {
    const h = await appHarness();
    const carol = actor(h, 'demo-carol');
    const { request: pending } = await h.services.requests.createRequest(carol, requestBody);
    const { request: other } = await h.services.requests.createRequest(
      carol,
      requestFor({ material: { state: 3 } }),
    );
    await h.services.requests.review(actor(h, 'demo-alice'), other.id, { decision: 'approve' });
    await h.services.requests.review(actor(h, 'demo-bob'), other.id, { decision: 'approve' });
    expect(await h.services.requests.expireDue()).toBe(0);
    h.clock.advanceSeconds(3600);
    expect(await h.services.requests.expireDue()).toBe(1);
    expect((await h.store.getRequest(other.id))?.status).toBe('expired');
    expect((await h.store.getRequest(other.id))?.token).toBeUndefined();
    h.clock.advanceSeconds(86_400);
    expect(await h.services.requests.expireDue()).toBe(1);
    expect(await h.services.requests.expireDue()).toBe(0);
    const expired = await h.store.readAudit({ action: 'request.expired' });
    expect(expired.map((e) => [e.subject, e.actor, e.data?.previousStatus])).toEqual([
      [other.id, 'system', 'approved'],
      [pending.id, 'system', 'pending'],
    ]);
    expect(
      h.notifications.filter((n) => n.type === 'request.expired').map((n) => n.request.id),
    ).toEqual([other.id, pending.id]);
  });

  it('expires lapsed requests in one durable change per batch', async () => {
    const h = await appHarness();
    const carol = actor(h, 'demo-carol');
    for (let state = 0; state <= EXPIRY_BATCH; state++) {
      await h.services.requests.createRequest(carol, requestFor({ material: { state } }));
    }
    h.clock.advanceSeconds(2 * 86_400);
    const one = vi.spyOn(h.store, 'saveRequest');
    const many = vi.spyOn(h.store, 'saveRequests');
    expect(await h.services.requests.expireDue()).toBe(EXPIRY_BATCH + 1);
    expect(one).not.toHaveBeenCalled();
    expect(many.mock.calls.map(([changes]) => changes.length)).toEqual([EXPIRY_BATCH, 1]);
    const saved = many.mock.calls.flatMap(([changes]) => changes.map((c) => c.request.status));
    expect(new Set(saved)).toEqual(new Set(['expired']));
    expect(await h.store.listRequests({ status: ['expired'] })).toHaveLength(EXPIRY_BATCH + 1);
  });

  it('pages through requests newest first by their status now, past requests expired by time', async () => {
    const h = await appHarness();
    const carol = actor(h, 'demo-carol');
    const approve = async (id: string) => {
      for (const manager of ['demo-alice', 'demo-bob']) {
        await h.services.requests.review(actor(h, manager), id, { decision: 'approve' });
      }
    };
    const ids: string[] = [];
    for (let state = 0; state < 5; state++) {
      const { request } = await h.services.requests.createRequest(
        carol,
        requestFor({ material: { state } }),
      );
      ids.push(request.id);
      if (state === 1) await approve(request.id);
      h.clock.advanceSeconds(60);
    }
    // The approval of request 1 runs out (it stays saved as approved); request 3 is approved now.
    h.clock.advanceSeconds(3600);
    await approve(ids[3]!);
    const [r0, r1, r2, r3, r4] = ids;
    const { requests } = h.services;
    const page = async (filter: RequestListFilter, offset: number, limit: number) => {
      const found = await requests.listPage(filter, { offset, limit });
      return { ids: found.requests.map((r) => r.id), next: found.next };
    };

    expect(await page({}, 0, 2)).toEqual({ ids: [r4, r3], next: 2 });
    expect(await page({}, 2, 2)).toEqual({ ids: [r2, r1], next: 4 });
    expect(await page({}, 4, 2)).toEqual({ ids: [r0], next: undefined });
    expect((await requests.listPage({}, { offset: 2, limit: 2 })).requests[1]?.status).toBe(
      'expired',
    );
    // Saved pending: the next page starts at the store offset of the first one not shown.
    expect(await page({ status: ['pending'] }, 0, 2)).toEqual({ ids: [r4, r2], next: 2 });
    expect(await page({ status: ['pending'] }, 2, 2)).toEqual({ ids: [r0], next: undefined });
    // Expired by time is found among saved pending and approved ones, over several store pages.
    expect(await page({ status: ['expired'] }, 0, 1)).toEqual({ ids: [r1], next: undefined });
    // The one saved approved request past it is expired now: no next page to show.
    expect(await page({ status: ['approved'] }, 0, 1)).toEqual({ ids: [r3], next: undefined });
    // Asked for expired too, the store answers the pending ones among them (r4 and r2 skipped).
    expect(await page({ status: ['approved', 'expired'] }, 0, 1)).toEqual({ ids: [r3], next: 3 });
    expect(await page({ status: ['approved', 'expired'] }, 3, 1)).toEqual({
      ids: [r1],
      next: undefined,
    });
    expect(await page({ status: ['pending'], urn: requestBody.urn }, 0, 10)).toEqual({
      ids: [r4, r2, r0],
      next: undefined,
    });
    expect(await requests.requestFacets()).toEqual({
      stacks: [requestBody.stack],
      policies: [requestBody.policy],
    });
  });

  it('never lets a failing notifier touch a decision', async () => {
    const h = await appHarness();
    const { requests: throwing } = createServices({
      store: h.store,
      signer: h.signer,
      config: h.config,
      clock: h.clock,
      notifier: {
        notify: () => {
          throw new Error('webhook down');
        },
      },
    });
    const { requests: rejecting } = createServices({
      store: h.store,
      signer: h.signer,
      config: h.config,
      clock: h.clock,
      notifier: { notify: (() => Promise.reject(new Error('webhook down'))) as () => void },
    });
    const { request } = await throwing.createRequest(actor(h, 'demo-carol'), requestBody);
    await rejecting.review(actor(h, 'demo-alice'), request.id, { decision: 'approve' });
    const approved = await throwing.review(actor(h, 'demo-bob'), request.id, {
      decision: 'approve',
    });
    expect(approved.status).toBe('approved');
  });

  it('tells the console whether someone may decide, and why not', async () => {
    const h = await appHarness();
    const { request } = await h.services.requests.createRequest(
      actor(h, 'demo-carol'),
      requestBody,
    );
    expect(h.services.requests.eligibility(actor(h, 'demo-alice'), request)).toEqual({
      canDecide: true,
    });
    const carol = h.services.requests.eligibility(actor(h, 'demo-carol'), request);
    expect(carol).toEqual({
      canDecide: false,
      why: 'you opened this request; someone else must decide it',
    });
  });
});
