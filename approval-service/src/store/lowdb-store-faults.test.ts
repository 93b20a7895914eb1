import type { FileHandle } from 'node:fs/promises';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifyAuditDir } from '../audit/verify-file.js';
import { type StoreFs, nodeStoreFs } from './durable-fs.js';
import { openLowdbStore } from './lowdb-store.js';
import type { Store } from './store.js';
import { makeAuditEvent as ev, makeStoredRequest as req } from './store-fixtures.js';

type Fault = 'sync' | 'truncate' | 'rename' | 'write';

/** node:fs/promises with faults armed per operation and file name (the data directory's name for its own sync). */
function faultyFs() {
  const armed = new Set<string>();
  const trip = (op: Fault, path: string) => {
    const key = `${op}:${basename(path)}`;
    if (armed.has(key))
      throw Object.assign(new Error(`injected ${op} failure on ${basename(path)}`), {
        code: 'EIO',
      });
  };
  const wrap = (handle: FileHandle, path: string): FileHandle =>
    new Proxy(handle, {
      get(target, prop) {
        const value: unknown = Reflect.get(target, prop, target);
        if (typeof value !== 'function') return value;
        return async (...args: unknown[]) => {
          if (prop === 'sync' || prop === 'truncate' || prop === 'write' || prop === 'writeFile') {
            trip(prop === 'writeFile' ? 'write' : prop, path);
          }
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    });
  const fs: StoreFs = {
    ...nodeStoreFs,
    open: (async (
      path: string,
      ...rest: Parameters<typeof nodeStoreFs.open> extends [unknown, ...infer R] ? R : never
    ) => wrap(await nodeStoreFs.open(path, ...rest), path)) as StoreFs['open'],
    rename: async (from, to) => {
      trip('rename', String(to));
      return nodeStoreFs.rename(from, to);
    },
  };
  return {
    fs,
    arm: (op: Fault, file: string) => armed.add(`${op}:${file}`),
    disarm: () => armed.clear(),
  };
}

describe('lowdb store write failures', () => {
  let dataDir: string;
  let faults: ReturnType<typeof faultyFs>;
  let store: Store;
  const files = async () => ({
    db: await readFile(join(dataDir, 'db.json'), 'utf8'),
    audit: await readFile(join(dataDir, 'audit.jsonl'), 'utf8'),
  });
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
    ['the audit fsync fails', 'sync', 'audit.jsonl'],
    ['the db.json temp file cannot be written', 'write', 'db.json.tmp'],
    ['the db.json fsync fails', 'sync', 'db.json.tmp'],
    ['the db.json rename fails', 'rename', 'db.json'],
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
      const saved = JSON.parse((await files()).db) as {
        requests: { id: string; status: string }[];
      };
      expect(saved.requests.map((r) => [r.id, r.status])).toEqual([
        ['req-1', 'pending'],
        ['req-2', 'pending'],
      ]);
      expect(await verifyAuditDir(dataDir)).toMatchObject({ ok: true, count: 2 });
    });
  }

  it('refuses further writes when a write cannot be undone, and the next open recovers', async () => {
    faults.arm('rename', 'db.json');
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

  it('refuses further writes when db.json was renamed but the directory sync failed', async () => {
    faults.arm('sync', basename(dataDir));
    await expect(
      store.saveRequest(req({ status: 'denied' }), [ev({ action: 'request.denied' })]),
    ).rejects.toMatchObject({
      code: 'ERR_STORE',
    });
    faults.disarm();
    await expect(store.appendAudit([ev()])).rejects.toThrow(/restart/);
    expect((await store.getRequest('req-1'))?.status).toBe('pending');

    await store.close();
    store = await openLowdbStore({ dataDir });
    expect((await store.getRequest('req-1'))?.status).toBe('denied');
    expect((await store.readAudit()).map((e) => e.action)).toEqual([
      'request.created',
      'request.denied',
    ]);
  });
});
