import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifyAuditDir } from '../service/verify-audit-dir.js';
import { type Fault, faultyFs } from './faulty-fs.case.js';
import { openLowdbStore } from './lowdb-store.js';
import type { Store } from './store.js';
import { makeAuditEvent as ev, makeStoredRequest as req } from './store-fixtures.case.js';

describe('lowdb store write failures', () => {
  let dataDir: string;
  let faults: ReturnType<typeof faultyFs>;
  let store: Store;
  const files = async () => ({
    db: await readFile(join(dataDir, 'db.json'), 'utf8'),
    journal: await readFile(join(dataDir, 'journal.jsonl'), 'utf8'),
    audit: await readFile(join(dataDir, 'audit.jsonl'), 'utf8'),
  });
  /** [id, status] of each request the files hold: db.json's, then the journal's changes. */
  const savedRequests = async () => {
    const { db, journal } = await files();
    type Saved = { id: string; status: string };
    const byId = new Map<string, Saved>();
    for (const r of (JSON.parse(db) as { requests: Saved[] }).requests) byId.set(r.id, r);
    for (const line of journal.split('\n').slice(0, -1)) {
      const { request } = JSON.parse(line) as { request?: Saved };
      if (request) byId.set(request.id, request);
    }
    return [...byId.values()].map((r) => [r.id, r.status]);
  };
  const state = async () => ({
    requests: await store.listRequests(),
    audit: await store.readAudit(),
  });

  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'clearance-faults-'));
    faults = faultyFs();
    store = await openLowdbStore({ dataDir, fs: faults.fs });
    await store.saveRequest(req(), [ev()]);
  });
  afterEach(async () => {
    await store.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  const cases: [string, Fault, string][] = [
    ['the audit append fails', 'write', 'audit.jsonl'],
    ['the journal append fails', 'write', 'journal.jsonl'],
  ];
  for (const [what, op, file] of cases) {
    it(`rejects with ERR_STORE and changes nothing when ${what}`, async () => {
      const before = { memory: await state(), files: await files() };
      faults.arm(op, file);
      const change = store.saveRequest(req({ status: 'approved' }), [
        ev({ action: 'request.approved' }),
      ]);
      await expect(change).rejects.toMatchObject({ code: 'ERR_STORE' });
      await expect(store.appendAudit([ev({ action: 'auth.failed' })])).rejects.toMatchObject({
        code: 'ERR_STORE',
      });
      expect(await state()).toEqual(before.memory);
      expect(await files()).toEqual(before.files);

      faults.disarm();
      const [entry] = await store.saveRequest(req({ id: 'req-2' }), [ev({ subject: 'req-2' })]);
      expect(entry?.seq).toBe(2);
      expect(await savedRequests()).toEqual([
        ['req-1', 'pending'],
        ['req-2', 'pending'],
      ]);
      expect(await verifyAuditDir(dataDir)).toMatchObject({ ok: true, count: 2 });
    });
  }

  it('rejects with ERR_STORE and changes nothing when the journal fsync fails once', async () => {
    const before = { memory: await state(), files: await files() };
    faults.arm('sync', 'journal.jsonl', 1);
    await expect(
      store.saveRequest(req({ status: 'approved' }), [ev({ action: 'request.approved' })]),
    ).rejects.toMatchObject({ code: 'ERR_STORE', message: /Nothing was changed/ });
    expect(await state()).toEqual(before.memory);
    expect(await files()).toEqual(before.files);

    const [entry] = await store.saveRequest(req({ id: 'req-2' }), [ev({ subject: 'req-2' })]);
    expect(entry?.seq).toBe(2);
    expect(await savedRequests()).toEqual([
      ['req-1', 'pending'],
      ['req-2', 'pending'],
    ]);
    expect(await verifyAuditDir(dataDir)).toMatchObject({ ok: true, count: 2 });
  });

  it('refuses further writes when a write cannot be undone, and the next open recovers', async () => {
    faults.arm('write', 'journal.jsonl');
    faults.arm('truncate', 'audit.jsonl');
    await expect(
      store.saveRequest(req({ status: 'denied' }), [ev({ action: 'request.denied' })]),
    ).rejects.toMatchObject({
      code: 'ERR_STORE',
    });
    faults.disarm();
    await expect(store.appendAudit([ev()])).rejects.toThrow(/restart/);
    expect((await store.getRequest('req-1'))?.status).toBe('pending');
    expect((await verifyAuditDir(dataDir)).problems.map((p) => p.kind)).toEqual(['unanchored']);

    await store.close();
    store = await openLowdbStore({ dataDir });
    expect((await store.getRequest('req-1'))?.status).toBe('pending');
    expect((await store.readAudit()).map((e) => e.seq)).toEqual([1]);
    expect(await verifyAuditDir(dataDir)).toMatchObject({ ok: true, count: 1 });
  });

  it('refuses further writes when a journal line can be neither synced nor cut back durably', async () => {
    faults.arm('sync', 'journal.jsonl');
    await expect(
      store.saveRequest(req({ status: 'denied' }), [ev({ action: 'request.denied' })]),
    ).rejects.toMatchObject({
      code: 'ERR_STORE',
    });
    faults.disarm();
    await expect(store.appendAudit([ev()])).rejects.toThrow(/may or may not be on disk.*restart/);
    expect((await store.getRequest('req-1'))?.status).toBe('pending');

    // Here the line was cut back (only not durably), so the change is not there after a restart.
    await store.close();
    store = await openLowdbStore({ dataDir });
    expect((await store.getRequest('req-1'))?.status).toBe('pending');
    expect((await store.readAudit()).map((e) => e.action)).toEqual(['request.created']);
    expect(await verifyAuditDir(dataDir)).toMatchObject({ ok: true, count: 1 });
  });
});
