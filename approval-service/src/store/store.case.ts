import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GENESIS_HASH } from '../domain/audit-chain.js';
import { verifyAuditLines } from '../domain/audit-verify.js';
import type { AuditEntry } from '../domain/model.js';
import type { Store } from './store.js';
import { makeAuditEvent as ev, makeStoredRequest as req } from './store-fixtures.case.js';

export interface StoreUnderTest {
  store: Store;
  /** Opens the same data again once `store` is closed (durable stores only). */
  reopen?: () => Promise<Store>;
  cleanup: () => Promise<void>;
}

const headOf = (entries: AuditEntry[]) => {
  const last = entries.at(-1);
  return last ? { seq: last.seq, hash: last.hash } : { seq: 0, hash: GENESIS_HASH };
};

/** Whether the entries, as lines, verify as one trail up to the last of them. */
const chainsWhole = (entries: AuditEntry[]) =>
  verifyAuditLines(
    entries.map((e) => JSON.stringify(e)),
    headOf(entries),
  ).ok;

/** The behaviour every Store implementation must show. Call it from the implementation's test file. */
export function runStoreContract(name: string, open: () => Promise<StoreUnderTest>): void {
  describe(`Store contract: ${name}`, () => {
    let subject: StoreUnderTest;
    let store: Store;

    beforeEach(async () => {
      subject = await open();
      store = subject.store;
    });
    afterEach(async () => {
      await store.close();
      await subject.cleanup();
    });

    describe('requests', () => {
      it('returns a saved request by id and nothing for an unknown id', async () => {
        const request = req();
        await store.saveRequest(request, []);
        expect(await store.getRequest('req-1')).toEqual(request);
        expect(await store.getRequest('nope')).toBeUndefined();
      });

      it('replaces a request saved again under the same id', async () => {
        await store.saveRequest(req(), []);
        const approved = req({ status: 'approved', decidedAt: '2025-03-01T11:00:00.000Z' });
        await store.saveRequest(approved, []);
        expect(await store.getRequest('req-1')).toEqual(approved);
        expect(await store.listRequests()).toEqual([approved]);
      });

      it('finds the newest request for exactly the given key', async () => {
        const older = req({ id: 'old', status: 'expired' });
        const newer = req({ id: 'new', createdAt: '2025-03-01T12:00:00.000Z' });
        await store.saveRequest(newer, []);
        await store.saveRequest(older, []);
        await store.saveRequest(
          req({ id: 'other', urn: 'urn:other', createdAt: '2025-03-05T00:00:00.000Z' }),
          [],
        );
        expect((await store.findLatest(older))?.id).toBe('new');
        for (const field of ['stack', 'urn', 'policy', 'fingerprint'] as const) {
          expect(
            await store.findLatest({ ...older, [field]: `${older[field]}-x` }),
          ).toBeUndefined();
        }
      });

      it('breaks a tie in creation time by the later first save', async () => {
        await store.saveRequest(req({ id: 'first' }), []);
        await store.saveRequest(req({ id: 'second' }), []);
        await store.saveRequest(req({ id: 'first', status: 'denied' }), []);
        expect((await store.findLatest(req()))?.id).toBe('second');
        expect((await store.listRequests()).map((r) => r.id)).toEqual(['second', 'first']);
      });

      it('keeps findLatest right when a replace changes a request key', async () => {
        await store.saveRequest(req({ id: 'a' }), []);
        await store.saveRequest(req({ id: 'b', createdAt: '2025-03-01T09:00:00.000Z' }), []);
        await store.saveRequest(req({ id: 'a', fingerprint: 'b'.repeat(64) }), []);
        expect((await store.findLatest(req()))?.id).toBe('b');
        expect((await store.findLatest(req({ fingerprint: 'b'.repeat(64) })))?.id).toBe('a');
      });

      it('lists newest first and filters by status list and stack', async () => {
        await store.saveRequest(req({ id: 'r1', createdAt: '2025-03-01T01:00:00.000Z' }), []);
        await store.saveRequest(
          req({ id: 'r3', status: 'approved', createdAt: '2025-03-01T03:00:00.000Z' }),
          [],
        );
        await store.saveRequest(
          req({ id: 'r2', stack: 'acme/network/dev', createdAt: '2025-03-01T02:00:00.000Z' }),
          [],
        );
        await store.saveRequest(
          req({ id: 'r4', status: 'denied', createdAt: '2025-03-01T04:00:00.000Z' }),
          [],
        );
        const ids = async (filter?: Parameters<Store['listRequests']>[0]) =>
          (await store.listRequests(filter)).map((r) => r.id);
        expect(await ids()).toEqual(['r4', 'r3', 'r2', 'r1']);
        expect(await ids({ status: ['pending'] })).toEqual(['r2', 'r1']);
        expect(await ids({ status: ['approved', 'denied'] })).toEqual(['r4', 'r3']);
        expect(await ids({ stack: 'acme/network/dev' })).toEqual(['r2']);
        expect(await ids({ status: ['pending'], stack: 'acme/network/prod' })).toEqual(['r1']);
        expect(await ids({ status: [] })).toEqual(['r4', 'r3', 'r2', 'r1']);
        expect(await ids({ stack: 'acme/none/prod' })).toEqual([]);
      });

      it('filters by the runs a request is tagged with', async () => {
        await store.saveRequest(req({ id: 'r1', blockedRuns: ['gh-1-1', 'gh-2-1'] }), []);
        await store.saveRequest(
          req({ id: 'r2', stack: 'acme/network/dev', blockedRuns: ['gh-2-1'] }),
          [],
        );
        await store.saveRequest(req({ id: 'r3' }), []);
        const ids = async (filter: Parameters<Store['listRequests']>[0]) =>
          (await store.listRequests(filter)).map((r) => r.id).sort();
        expect(await ids({ run: 'gh-1-1' })).toEqual(['r1']);
        expect(await ids({ run: 'gh-2-1' })).toEqual(['r1', 'r2']);
        expect(await ids({ run: 'gh-2-1', stack: 'acme/network/dev' })).toEqual(['r2']);
        expect(await ids({ run: 'gh-3-1' })).toEqual([]);
        expect(await store.listFrozen({ run: 'gh-1-1' })).toEqual(
          await store.listRequests({ run: 'gh-1-1' }),
        );
      });
    });

    describe('paging, filters and facets', () => {
      const at = (hour: number) => `2025-03-01T${String(hour).padStart(2, '0')}:00:00.000Z`;
      const ids = async (filter: Parameters<Store['listRequests']>[0]) =>
        (await store.listRequests(filter)).map((r) => r.id);

      it('answers a page of the matches, newest first, from an offset', async () => {
        for (let i = 1; i <= 7; i++) {
          const status = i % 2 === 0 ? 'denied' : 'pending';
          await store.saveRequest(req({ id: `r${i}`, status, createdAt: at(i) }), []);
        }
        expect(await ids({ limit: 3 })).toEqual(['r7', 'r6', 'r5']);
        expect(await ids({ offset: 3, limit: 3 })).toEqual(['r4', 'r3', 'r2']);
        expect(await ids({ offset: 6, limit: 3 })).toEqual(['r1']);
        expect(await ids({ offset: 7, limit: 3 })).toEqual([]);
        expect(await ids({ offset: 5 })).toEqual(['r2', 'r1']);
        expect(await ids({ status: ['denied'], offset: 1, limit: 2 })).toEqual(['r4', 'r2']);
        expect(await store.listFrozen({ offset: 2, limit: 2 })).toEqual(
          await store.listRequests({ offset: 2, limit: 2 }),
        );
      });

      it('filters by policy, by URN, and by a break-glass use nobody reviewed', async () => {
        const urn = 'urn:pulumi:prod::network::aws:s3/bucket:Bucket::other';
        const glass = { at: at(5), by: 'alice', reason: 'outage' };
        await store.saveRequest(req({ id: 'r1', createdAt: at(1) }), []);
        await store.saveRequest(req({ id: 'r2', policy: 'other', createdAt: at(2) }), []);
        await store.saveRequest(req({ id: 'r3', urn, status: 'expired', createdAt: at(3) }), []);
        await store.saveRequest(
          req({ id: 'r4', breakGlass: glass, createdAt: at(4) } as never),
          [],
        );
        await store.saveRequest(
          req({
            id: 'r5',
            status: 'revoked',
            breakGlass: { ...glass, review: { by: 'bob', at: at(6), outcome: 'ok' } },
            createdAt: at(5),
          } as never),
          [],
        );
        expect(await ids({ policy: 'other' })).toEqual(['r2']);
        expect(await ids({ urn })).toEqual(['r3']);
        expect(await ids({ urn, status: ['pending'] })).toEqual([]);
        expect(await ids({ unreviewedBreakGlass: true })).toEqual(['r4']);
        expect(await store.requestFacets()).toEqual({
          stacks: ['acme/network/prod'],
          policies: [...new Set(['other', req().policy])].sort(),
        });
      });

      it('answers no facets when empty', async () => {
        expect(await store.requestFacets()).toEqual({ stacks: [], policies: [] });
      });
    });

    describe('frozen reads', () => {
      it('finds the newest request of many keys in one call, in their order', async () => {
        await store.saveRequest(req({ id: 'old', status: 'expired' }), []);
        await store.saveRequest(req({ id: 'new', createdAt: '2025-03-01T12:00:00.000Z' }), []);
        await store.saveRequest(req({ id: 'other', urn: 'urn:other' }), []);
        const found = await store.findLatestFrozen([
          req({ urn: 'urn:other' }),
          req({ urn: 'urn:none' }),
          req(),
          req({ stack: 'acme/network/dev' }),
        ]);
        expect(found.map((r) => r?.id)).toEqual(['other', undefined, 'new', undefined]);
        expect(found[2]).toEqual(await store.getRequest('new'));
        expect(await store.findLatestFrozen([])).toEqual([]);
      });

      it('lists like listRequests', async () => {
        await store.saveRequest(req({ id: 'r1', createdAt: '2025-03-01T01:00:00.000Z' }), []);
        await store.saveRequest(
          req({ id: 'r2', status: 'approved', createdAt: '2025-03-01T02:00:00.000Z' }),
          [],
        );
        await store.saveRequest(req({ id: 'r3', stack: 'acme/network/dev' }), []);
        for (const filter of [
          undefined,
          { status: ['approved' as const] },
          { stack: 'acme/network/dev' },
        ]) {
          expect(await store.listFrozen(filter)).toEqual(await store.listRequests(filter));
        }
      });

      it('hands out requests that cannot be changed, and keeps later saves apart', async () => {
        await store.saveRequest(req(), []);
        const [frozen] = await store.findLatestFrozen([req()]);
        const [listed] = await store.listFrozen();
        expect(() => {
          (frozen as { status: string }).status = 'approved';
        }).toThrow(TypeError);
        expect(() =>
          listed?.reviews.push({ reviewer: 'x', decision: 'approve', reason: '', at: '' }),
        ).toThrow(TypeError);
        expect(() => {
          (listed?.requirements as { approvals: number }).approvals = 0;
        }).toThrow(TypeError);
        const copy = await store.getRequest('req-1');
        if (copy) copy.status = 'denied';
        await store.saveRequest(req({ status: 'approved' }), []);
        expect(frozen).toEqual(req());
        expect((await store.findLatestFrozen([req()]))[0]?.status).toBe('approved');
      });
    });

    describe('audit', () => {
      it('chains entries in append order, across saves and plain appends', async () => {
        const saved = await store.saveRequest(req(), [ev(), ev({ action: 'token.issued' })]);
        const appended = await store.appendAudit([
          ev({ action: 'auth.failed', subject: 'mallory' }),
        ]);
        expect(saved.map((e) => [e.seq, e.action])).toEqual([
          [1, 'request.created'],
          [2, 'token.issued'],
        ]);
        expect(appended.map((e) => e.seq)).toEqual([3]);
        const all = await store.readAudit();
        expect(all).toEqual([...saved, ...appended]);
        expect(chainsWhole(all)).toBe(true);
        expect(all[0]?.prevHash).toBe(GENESIS_HASH);
      });

      it('saves several changes in their order, chained as saved one by one', async () => {
        await store.saveRequest(req({ id: 'r1' }), [ev({ subject: 'r1' })]);
        const saved = await store.saveRequests([
          { request: req({ id: 'r1', status: 'denied' }), events: [ev({ subject: 'r1' })] },
          { request: req({ id: 'r2', urn: 'urn:b' }), events: [] },
          {
            request: req({ id: 'r1', status: 'approved' }),
            events: [ev({ action: 'review.approve' }), ev({ action: 'token.issued' })],
          },
        ]);
        expect(saved.map((e) => [e.seq, e.action])).toEqual([
          [2, 'request.created'],
          [3, 'review.approve'],
          [4, 'token.issued'],
        ]);
        expect((await store.getRequest('r1'))?.status).toBe('approved');
        expect((await store.getRequest('r2'))?.urn).toBe('urn:b');
        const all = await store.readAudit();
        expect(all.slice(1)).toEqual(saved);
        expect(chainsWhole(all)).toBe(true);
        expect(await store.saveRequests([])).toEqual([]);
      });

      it('reports the head of its trail: genesis when empty, then the last entry', async () => {
        expect(await store.auditHead()).toEqual({ seq: 0, hash: GENESIS_HASH });
        await store.saveRequest(req(), [ev()]);
        const [last] = await store.appendAudit([ev({ action: 'auth.failed', subject: 'x' })]);
        expect(await store.auditHead()).toEqual({ seq: 2, hash: last?.hash });
      });

      it('appends nothing for an empty list of events', async () => {
        expect(await store.saveRequest(req(), [])).toEqual([]);
        expect(await store.appendAudit([])).toEqual([]);
        expect(await store.readAudit()).toEqual([]);
      });

      it('keeps event data as given', async () => {
        const [entry] = await store.appendAudit([
          ev({ data: { decision: 'approve', n: 2, list: [1, 'x'] } }),
        ]);
        expect(entry?.data).toEqual({ decision: 'approve', n: 2, list: [1, 'x'] });
        expect((await store.readAudit())[0]?.data).toEqual(entry?.data);
      });

      it('filters by time range, actor, action, subject and limit, oldest first', async () => {
        await store.appendAudit([
          ev({ time: '2025-03-01T01:00:00.000Z', actor: 'alice', subject: 'r1' }),
          ev({
            time: '2025-03-01T02:00:00.000Z',
            actor: 'bob',
            action: 'review.approve',
            subject: 'r1',
          }),
          ev({
            time: '2025-03-01T03:00:00.000Z',
            actor: 'alice',
            action: 'review.approve',
            subject: 'r2',
          }),
          ev({
            time: '2025-03-01T04:00:00.000Z',
            actor: 'bob',
            action: 'auth.failed',
            subject: 'bob',
          }),
        ]);
        const seqs = async (filter: Parameters<Store['readAudit']>[0]) =>
          (await store.readAudit(filter)).map((e) => e.seq);
        expect(await seqs({ since: '2025-03-01T02:00:00.000Z' })).toEqual([2, 3, 4]);
        expect(await seqs({ until: '2025-03-01T03:00:00.000Z' })).toEqual([1, 2]);
        expect(
          await seqs({ since: '2025-03-01T02:00:00.000Z', until: '2025-03-01T04:00:00.000Z' }),
        ).toEqual([2, 3]);
        expect(await seqs({ actor: 'alice' })).toEqual([1, 3]);
        expect(await seqs({ action: 'review.approve' })).toEqual([2, 3]);
        expect(await seqs({ subject: 'r1' })).toEqual([1, 2]);
        expect(await seqs({ actor: 'bob', action: 'review.approve' })).toEqual([2]);
        expect(await seqs({ limit: 2 })).toEqual([1, 2]);
        expect(await seqs({ actor: 'bob', limit: 1 })).toEqual([2]);
        expect(await seqs({ limit: 0 })).toEqual([]);
        expect(await seqs({ newest: 2 })).toEqual([3, 4]);
        expect(await seqs({ actor: 'alice', newest: 1 })).toEqual([3]);
        expect(await seqs({ subject: 'r1', newest: 5 })).toEqual([1, 2]);
        expect(await seqs({ newest: 0 })).toEqual([]);
      });
    });

    describe('isolation', () => {
      it('does not let callers change stored requests through objects they passed or got', async () => {
        const request = req();
        await store.saveRequest(request, []);
        request.status = 'approved';
        request.reviews.push({
          reviewer: 'alice',
          decision: 'approve',
          reason: 'ok',
          at: request.createdAt,
        });
        const got = await store.getRequest('req-1');
        expect(got?.status).toBe('pending');
        if (got)
          got.reviews.push({ reviewer: 'bob', decision: 'deny', reason: 'no', at: got.createdAt });
        const [listed] = await store.listRequests();
        if (listed) listed.requirements.approvals = 0;
        const latest = await store.findLatest(req());
        if (latest) (latest.material as { ingress: unknown[] }).ingress.length = 0;
        expect(await store.getRequest('req-1')).toEqual(req());
      });

      it('does not let callers change the audit trail through objects they passed or got', async () => {
        const event = ev({ data: { list: [1] } });
        const [returned] = await store.appendAudit([event]);
        (event.data?.list as number[]).push(2);
        if (returned) returned.actor = 'mallory';
        const [read] = await store.readAudit();
        if (read?.data) (read.data.list as number[]).push(3);
        const [again] = await store.readAudit();
        expect(again?.actor).toBe('carol');
        expect(again?.data).toEqual({ list: [1] });
      });
    });

    it('rejects use after close, and closing twice is harmless', async () => {
      await store.close();
      await expect(store.getRequest('req-1')).rejects.toThrow();
      await expect(store.saveRequest(req(), [ev()])).rejects.toThrow();
      await expect(store.close()).resolves.toBeUndefined();
    });

    it('keeps every acknowledged change across a reopen', async (ctx) => {
      if (!subject.reopen) ctx.skip();
      const reopen = subject.reopen as () => Promise<Store>;
      await store.saveRequest(req({ id: 'r1' }), [ev({ subject: 'r1' })]);
      await store.saveRequest(req({ id: 'r2', createdAt: '2025-03-01T11:00:00.000Z' }), [
        ev({ subject: 'r2' }),
      ]);
      await store.saveRequest(req({ id: 'r1', status: 'denied' }), [
        ev({ action: 'request.denied', subject: 'r1' }),
      ]);
      await store.saveRequests([
        { request: req({ id: 'r3', urn: 'urn:c' }), events: [ev({ subject: 'r3' })] },
        { request: req({ id: 'r2', status: 'denied' }), events: [] },
      ]);
      await store.appendAudit([ev({ action: 'auth.failed', subject: 'x' })]);
      const requests = await store.listRequests();
      const audit = await store.readAudit();
      await store.close();

      store = await reopen();
      expect(await store.listRequests()).toEqual(requests);
      expect(await store.readAudit()).toEqual(audit);
      expect((await store.findLatest(req()))?.id).toBe('r2');
      expect((await store.getRequest('r1'))?.status).toBe('denied');
      expect((await store.getRequest('r2'))?.status).toBe('denied');
      expect((await store.getRequest('r3'))?.urn).toBe('urn:c');
      const [next] = await store.appendAudit([ev({ subject: 'after' })]);
      expect(next).toMatchObject({ seq: 6, prevHash: audit.at(-1)?.hash });
    });
  });
}
