import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Mutex } from '../service/mutex.js';
import { faultyFs } from './faulty-fs.case.js';
import { openLowdbStore } from './lowdb-store.js';
import type { Store } from './store.js';
import { makeAuditEvent as ev, makeStoredRequest as req } from './store-fixtures.case.js';

/** Lets every callback and I/O completion queued so far run. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

/** Whether `promise` has settled by now. */
async function settled(promise: Promise<unknown>): Promise<boolean> {
  let done = false;
  void promise.then(
    () => (done = true),
    () => (done = true),
  );
  await settle();
  return done;
}

describe('lowdb store group commit', () => {
  let dataDir: string;
  let faults: ReturnType<typeof faultyFs>;
  let store: Store;
  const journalSyncs = () => faults.takeSynced().filter((name) => name === 'journal.jsonl').length;

  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'clearance-group-'));
    faults = faultyFs();
    store = await openLowdbStore({ dataDir, fs: faults.fs, log: () => {} });
    faults.takeSynced();
  });
  afterEach(async () => {
    faults.releaseAll();
    await store.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  const save = (s: Store, n: number) =>
    s.saveRequest(req({ id: `r${n}` }), [ev({ subject: `r${n}` })]);

  it('makes the changes of concurrent write sections durable with one fsync for many', async () => {
    const writes = new Mutex(store);
    const sections = Array.from({ length: 20 }, (_, n) => writes.run((s) => save(s, n)));
    await Promise.all(sections);
    expect(journalSyncs()).toBeLessThanOrEqual(3);
    await store.close();
    store = await openLowdbStore({ dataDir, log: () => {} });
    expect((await store.listRequests()).length).toBe(20);
    expect((await store.readAudit()).map((e) => e.seq)).toEqual(
      [...Array(20).keys()].map((n) => n + 1),
    );
  });

  it('groups direct writes too, each resolving once durable', async () => {
    await Promise.all(Array.from({ length: 20 }, (_, n) => save(store, n)));
    expect(journalSyncs()).toBeLessThanOrEqual(3);
  });

  it('runs the next section while a change is flushed, and answers no read outside one before it is durable', async () => {
    const writes = new Mutex(store);
    const release = faults.hold('sync', 'journal.jsonl');
    const first = writes.run((s) => save(s, 1));
    const second = writes.run(async (s) => (await s.getRequest('r1'))?.id);
    await settle();
    const outside = store.getRequest('r1');
    const head = store.auditHead();
    expect(await settled(first)).toBe(false);
    expect(await settled(outside)).toBe(false);
    // The head outside a section is the durable one; the section already saw the change.
    expect(await head).toMatchObject({ seq: 0 });
    release();
    expect(await second).toBe('r1');
    expect((await outside)?.id).toBe('r1');
    await first;
    expect(await store.auditHead()).toMatchObject({ seq: 1 });
  });

  it('undoes and rejects every change not yet durable when a flush fails, and writes on after', async () => {
    const writes = new Mutex(store);
    await save(store, 0);
    faults.takeSynced();
    const release = faults.hold('sync', 'journal.jsonl');
    faults.arm('sync', 'journal.jsonl', 1);
    const first = writes.run((s) => save(s, 1));
    await settle();
    // Built on the first while its flush is under way: it goes with it.
    const second = writes.run(async (s) => {
      const seen = await s.getRequest('r1');
      await s.saveRequest(req({ id: 'r2', reason: `after ${seen?.id}` }), [ev({ subject: 'r2' })]);
    });
    await settle();
    release();
    await expect(first).rejects.toMatchObject({
      code: 'ERR_STORE',
      message: /Nothing was changed/,
    });
    await expect(second).rejects.toMatchObject({ code: 'ERR_STORE' });
    expect((await store.listRequests()).map((r) => r.id)).toEqual(['r0']);
    expect((await store.readAudit()).map((e) => e.subject)).toEqual(['r0']);
    await save(store, 3);
    await store.close();
    store = await openLowdbStore({ dataDir, log: () => {} });
    expect((await store.listRequests()).map((r) => r.id).sort()).toEqual(['r0', 'r3']);
  });

  it('refuses the later writes of a section that began before an undo', async () => {
    const writes = new Mutex(store);
    const release = faults.hold('sync', 'journal.jsonl');
    faults.arm('sync', 'journal.jsonl', 1);
    const first = writes.run((s) => save(s, 1));
    let resume = () => {};
    const paused = new Promise<void>((resolve) => {
      resume = resolve;
    });
    const second = writes.run(async (s) => {
      await paused;
      await save(s, 2);
    });
    await settle();
    release();
    await expect(first).rejects.toMatchObject({ code: 'ERR_STORE' });
    resume();
    await expect(second).rejects.toMatchObject({
      code: 'ERR_STORE',
      message: expect.stringContaining('could not be saved and was undone'),
    });
    expect(await store.listRequests()).toEqual([]);
  });

  it('compacts only what is durable while later changes wait', async () => {
    await store.close();
    store = await openLowdbStore({ dataDir, fs: faults.fs, compactAfterBytes: 1, log: () => {} });
    const writes = new Mutex(store);
    const release = faults.hold('sync', 'journal.jsonl');
    const first = writes.run((s) => save(s, 1));
    await settle();
    // Queued while the first is flushed; its own flush then fails, after the compaction.
    const second = writes.run((s) => save(s, 2));
    await settle();
    faults.arm('sync', 'journal.jsonl', 1, 1);
    release();
    await first;
    await expect(second).rejects.toMatchObject({ code: 'ERR_STORE' });
    await store.close();
    store = await openLowdbStore({ dataDir, log: () => {} });
    expect((await store.listRequests()).map((r) => r.id)).toEqual(['r1']);
  });
});
