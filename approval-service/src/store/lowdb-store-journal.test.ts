import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RequestView } from '@clearance/client';
import { appHarness, requestBody, requestFor } from '../http/app-harness.case.js';
import { verifyAuditDir } from '../service/verify-audit-dir.js';
import { faultyFs } from './faulty-fs.case.js';
import { openLowdbStore } from './lowdb-store.js';
import type { Store } from './store.js';
import { makeAuditEvent as ev, makeStoredRequest as req } from './store-fixtures.case.js';

describe('lowdb store journal', () => {
  let dataDir: string;
  let faults: ReturnType<typeof faultyFs>;
  const read = (file: string) => readFile(join(dataDir, file), 'utf8');
  const journalLines = async () => (await read('journal.jsonl')).split('\n').slice(0, -1);
  const open = (compactAfterBytes?: number) =>
    openLowdbStore({
      dataDir,
      fs: faults.fs,
      compactAfterBytes,
    });
  /** Saves request `id` as created and then approved, with an audit event each time. */
  const createAndApprove = async (store: Store, id: string) => {
    await store.saveRequest(req({ id, urn: `urn:pulumi:prod::network::t::${id}` }), [
      ev({ subject: id }),
    ]);
    await store.saveRequest(
      req({ id, urn: `urn:pulumi:prod::network::t::${id}`, status: 'approved' }),
      [ev({ action: 'request.approved', subject: id })],
    );
  };
  /** What a store shows, to compare across a reopen. */
  const state = async (store: Store) => ({
    requests: await store.listRequests(),
    audit: await store.readAudit(),
  });

  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'clearance-journal-'));
    faults = faultyFs();
  });
  afterEach(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('writes about the same bytes for a change however many requests are stored', async () => {
    const store = await open();
    await createAndApprove(store, 'aa');
    faults.takeWritten();
    await createAndApprove(store, 'bb');
    const few = faults.takeWritten();
    for (let i = 0; i < 100; i++) await createAndApprove(store, `r${i}`);
    const db = await read('db.json');
    faults.takeWritten();
    await createAndApprove(store, 'zz');
    const many = faults.takeWritten();
    await store.close();
    // Only the sequence numbers grow (seq 3 and 4 against seq 205 and 206).
    expect(many).toBeGreaterThanOrEqual(few);
    expect(many).toBeLessThan(few + 32);
    expect(await read('db.json')).toBe(db);
  });

  it('appends the audit lines, and a line with the head and those entries, for an audit event', async () => {
    const store = await open();
    await createAndApprove(store, 'a');
    const before = await journalLines();
    const audit = await read('audit.jsonl');
    const [entry] = await store.appendAudit([ev({ action: 'auth.failed', subject: 'x' })]);
    await store.close();
    expect(await journalLines()).toEqual([
      ...before,
      JSON.stringify({ audit: { seq: entry?.seq, hash: entry?.hash }, entries: [entry] }),
    ]);
    expect(await read('audit.jsonl')).toBe(`${audit}${JSON.stringify(entry)}\n`);
  });

  it('commits each change with one fsync, that of its journal line', async () => {
    const store = await open();
    faults.takeSynced();
    await createAndApprove(store, 'a');
    await store.saveRequest(req({ id: 'a', status: 'approved', decidedAt: 'now' }), [
      ev({ action: 'token.issued', subject: 'a' }),
    ]);
    await store.appendAudit([ev({ action: 'auth.failed', subject: 'x' })]);
    expect(faults.takeSynced()).toEqual(Array(4).fill('journal.jsonl'));
    await store.close();
  });

  it('commits several changes saved together with one fsync', async () => {
    const store = await open();
    faults.takeSynced();
    await store.saveRequests(
      ['a', 'b', 'c'].map((id) => ({ request: req({ id }), events: [ev({ subject: id })] })),
    );
    expect(faults.takeSynced()).toEqual(['journal.jsonl']);
    expect(await journalLines()).toHaveLength(3);
    await store.close();
  });

  it("costs the service's request + 2 approvals three fsyncs, one per change", async () => {
    const store = await open();
    const h = await appHarness({}, { store });
    faults.takeSynced();
    const { id } = await h.json<{ id: string }>('POST', '/v1/requests', 'carol', requestBody);
    await h.json('POST', `/v1/requests/${id}/reviews`, 'alice', { decision: 'approve' });
    const approved = await h.json('POST', `/v1/requests/${id}/reviews`, 'bob', {
      decision: 'approve',
    });
    expect(approved.status).toBe('approved');
    expect(faults.takeSynced()).toEqual(Array(3).fill('journal.jsonl'));
    await store.close();
  });

  it('records a run report, however many approvals it used, with one fsync', async () => {
    const store = await open();
    const h = await appHarness({}, { store });
    const approved: string[] = [];
    for (const n of [1, 2]) {
      const body = requestFor({ material: { n } });
      const { id } = await h.json<{ id: string }>('POST', '/v1/requests', 'carol', body);
      for (const who of ['alice', 'bob'] as const) {
        await h.json('POST', `/v1/requests/${id}/reviews`, who, { decision: 'approve' });
      }
      approved.push(id);
    }
    const pending = await h.json<RequestView>('POST', '/v1/requests', 'carol', requestBody);
    faults.takeSynced();
    const { urn, policy, fingerprint } = pending;
    const res = await h.call('POST', '/v1/runs', {
      as: 'carol',
      body: {
        stack: requestBody.stack,
        run: { id: 'run-1', dryRun: false },
        used: approved,
        blocked: [{ urn, policy, fingerprint, requestId: pending.id }],
      },
    });
    expect(res.status).toBe(204);
    expect(faults.takeSynced()).toEqual(['journal.jsonl']);
    const runs = await Promise.all(approved.map((id) => store.getRequest(id)));
    expect(runs.map((r) => r?.runs.map((x) => x.runId))).toEqual([['run-1'], ['run-1']]);
    expect((await store.getRequest(pending.id))?.blockedRuns).toEqual(['run-1']);
    await store.close();
  });

  it('fsyncs audit.jsonl before a compaction writes db.json and empties the journal', async () => {
    const lines: string[] = [];
    const store = await openLowdbStore({
      dataDir,
      fs: faults.fs,
      compactAfterBytes: 0,
      log: (line) => lines.push(line),
    });
    faults.takeSynced();
    await store.saveRequest(req({ id: 'a' }), [ev({ subject: 'a' })]);
    const synced = faults.takeSynced();
    expect(synced.slice(0, 3)).toEqual(['journal.jsonl', 'audit.jsonl', 'db.json.tmp']);
    expect(synced.at(-1)).toBe('journal.jsonl');
    expect(await read('journal.jsonl')).toBe('');

    // Unless audit.jsonl is on the disk, the journal keeps its entries.
    faults.arm('sync', 'audit.jsonl');
    const db = await read('db.json');
    await store.saveRequest(req({ id: 'b' }), [ev({ subject: 'b' })]);
    expect(store.health?.().compaction?.lastError).toMatch(/^could not sync audit\.jsonl: .*EIO/);
    expect(await read('db.json')).toBe(db);
    expect(await journalLines()).toHaveLength(1);
    expect(lines).toHaveLength(1);
    await store.close();
  });

  it('folds the journal into db.json once it outgrows it, and reopens to the same state', async () => {
    let store = await open(4000);
    let compacted = false;
    for (let i = 0; i < 12; i++) {
      await createAndApprove(store, `r${i}`);
      if ((await read('journal.jsonl')) === '') compacted = true;
    }
    expect(compacted).toBe(true);
    const document = JSON.parse(await read('db.json')) as {
      version: number;
      requests: unknown[];
      audit: { seq: number };
    };
    expect(document.version).toBe(3);
    expect(document.requests.length + (await journalLines()).length).toBeGreaterThanOrEqual(12);
    const before = await state(store);
    await store.close();

    store = await open();
    expect(await state(store)).toEqual(before);
    await store.close();
    expect(await verifyAuditDir(dataDir)).toMatchObject({ ok: true, count: 24 });
  });

  it('keeps every change in the journal when writing db.json fails', async () => {
    let store = await open(0);
    faults.arm('rename', 'db.json');
    await createAndApprove(store, 'a');
    const db = await read('db.json');
    await createAndApprove(store, 'b');
    expect(await read('db.json')).toBe(db);
    expect(await journalLines()).toHaveLength(4);
    const before = await state(store);
    await store.close();
    faults.disarm();

    store = await open();
    expect(await state(store)).toEqual(before);
    await store.close();
  });

  it('replays journal lines that a compaction already took into db.json to the same state', async () => {
    let store = await open(0);
    faults.arm('truncate', 'journal.jsonl');
    await createAndApprove(store, 'a');
    await createAndApprove(store, 'b');
    const document = JSON.parse(await read('db.json')) as { requests: { id: string }[] };
    expect(document.requests.map((r) => r.id)).toEqual(['a', 'b']);
    expect(await journalLines()).toHaveLength(4);
    const before = await state(store);
    await store.close();
    faults.disarm();

    store = await open();
    expect(await state(store)).toEqual(before);
    await createAndApprove(store, 'c');
    await store.close();
    expect(await verifyAuditDir(dataDir)).toMatchObject({ ok: true, count: 6 });
  });

  it('refuses further writes when the emptied journal cannot be synced', async () => {
    const store = await open(0);
    // The change's own journal fsync passes; the one after emptying the journal fails.
    faults.arm('sync', 'journal.jsonl', 1, 1);
    await store.saveRequest(req(), [ev()]);
    await expect(store.appendAudit([ev()])).rejects.toThrow(/restart/);
    expect((await store.getRequest('req-1'))?.status).toBe('pending');
    await store.close();
    const reopened = await open();
    expect((await reopened.readAudit()).map((e) => e.seq)).toEqual([1]);
    await reopened.close();
  });
});
