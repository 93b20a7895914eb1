import { mkdtemp, readFile, rm, stat, truncate, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import type { StoredRequest } from '../domain/model.js';
import { tagOf } from './archive-index.js';
import { faultyFs } from './faulty-fs.case.js';
import { type LowdbStoreOptions, openLowdbStore } from './lowdb-store.js';
import type { Store } from './store.js';
import { makeAuditEvent as ev, makeStoredRequest as req } from './store-fixtures.case.js';

const at = (hour: number) => `2025-03-01T${String(hour).padStart(2, '0')}:00:00.000Z`;
const fingerprint = (n: number) => n.toString(16).padStart(64, '0');

/** Compacts now (the embedded store's own method), whatever the journal's size. */
const compact = (store: Store) =>
  (store as unknown as { compactNow(): Promise<void> }).compactNow();

describe('the embedded store archive', () => {
  let dataDir: string;
  let lines: string[];
  const file = (name: string) => join(dataDir, name);
  const open = (options: Partial<LowdbStoreOptions> = {}) =>
    openLowdbStore({ dataDir, log: (line) => lines.push(line), ...options });

  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'clearance-archive-'));
    lines = [];
  });
  afterEach(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  /** Six requests, each of its own resource state: r1..r6, odd ones closed. */
  const seeded = (): StoredRequest[] =>
    [1, 2, 3, 4, 5, 6].map((n) =>
      req({
        id: `r${n}`,
        fingerprint: fingerprint(n),
        status: n % 2 === 1 ? (n === 3 ? 'expired' : 'denied') : 'pending',
        createdAt: at(n),
      }),
    );

  /** Everything a reader can ask, to compare a store before and after. */
  const state = async (store: Store) => ({
    all: await store.listRequests(),
    pages: [await store.listRequests({ limit: 4 }), await store.listRequests({ offset: 4 })],
    closed: await store.listRequests({ status: ['denied', 'expired'] }),
    byId: await Promise.all(seeded().map((r) => store.getRequest(r.id))),
    latest: await store.findLatestFrozen(seeded()),
    facets: await store.requestFacets(),
  });

  const seed = async () => {
    const store = await open();
    for (const request of seeded()) await store.saveRequest(request, [ev({ subject: request.id })]);
    return store;
  };

  it('moves closed requests to requests.jsonl at a compaction, keeps open ones in db.json, and reads both the same', async () => {
    const store = await seed();
    const before = await state(store);
    await compact(store);
    const document = JSON.parse(await readFile(file('db.json'), 'utf8')) as {
      requests: StoredRequest[];
    };
    expect(document.requests.map((r) => r.id)).toEqual(['r2', 'r4', 'r6']);
    const archived = (await readFile(file('requests.jsonl'), 'utf8')).trim().split('\n');
    expect(archived.map((l) => (JSON.parse(l) as StoredRequest).id).sort()).toEqual([
      'r1',
      'r3',
      'r5',
    ]);
    expect((await stat(file('requests.jsonl'))).mode & 0o777).toBe(0o600);
    expect(await state(store)).toEqual(before);
    await store.close();
    const reopened = await open();
    expect(await state(reopened)).toEqual(before);
    expect(before.all.map((r) => r.id)).toEqual(['r6', 'r5', 'r4', 'r3', 'r2', 'r1']);
    await reopened.close();
  });

  it('answers the newest request of a key whether it is in memory or archived', async () => {
    const store = await open();
    const key = { fingerprint: fingerprint(9), createdAt: at(1) };
    await store.saveRequest(req({ id: 'old', status: 'denied', ...key }), []);
    await compact(store);
    expect((await store.findLatest(req(key)))?.id).toBe('old');
    await store.saveRequest(req({ id: 'new', ...key, createdAt: at(2) }), []);
    expect((await store.findLatest(req(key)))?.id).toBe('new');
    await store.saveRequest(req({ id: 'new', ...key, createdAt: at(2), status: 'expired' }), []);
    await compact(store);
    expect((await store.findLatest(req(key)))?.id).toBe('new');
    expect((await store.findLatestFrozen([req(key)]))[0]?.status).toBe('expired');
    await store.close();
  });

  it('tells apart archived keys whose fingerprints share a tag, by their lines', async () => {
    const seen = new Map<number, string>();
    let pair: [string, string] | undefined;
    for (let n = 0; !pair; n++) {
      const candidate = createHash('sha256').update(String(n)).digest('hex');
      const other = seen.get(tagOf(candidate));
      if (other) pair = [other, candidate];
      seen.set(tagOf(candidate), candidate);
    }
    const store = await open();
    // The newer one first in the index's order, so the older one's lookup reads past it.
    await store.saveRequest(req({ id: 'older', fingerprint: pair[0], status: 'denied' }), []);
    await store.saveRequest(
      req({ id: 'newer', fingerprint: pair[1], status: 'denied', createdAt: at(12) }),
      [],
    );
    await compact(store);
    const found = await store.findLatestFrozen([
      req({ fingerprint: pair[0] }),
      req({ fingerprint: pair[1] }),
      req({ fingerprint: 'f'.repeat(64) }),
    ]);
    expect(found.map((r) => r?.id)).toEqual(['older', 'newer', undefined]);
    await store.close();
  });

  it('lets a request saved again replace its archived copy, shown once', async () => {
    const store = await seed();
    await compact(store);
    const reopened = { ...seeded()[0]!, status: 'pending' as const, reason: 'reopened' };
    await store.saveRequest(reopened, []);
    expect(await store.getRequest('r1')).toEqual(reopened);
    const ids = (await store.listRequests()).map((r) => r.id);
    expect(ids).toEqual(['r6', 'r5', 'r4', 'r3', 'r2', 'r1']);
    expect(await store.listRequests({ status: ['denied'] })).toEqual([
      expect.objectContaining({ id: 'r5' }),
    ]);
    await compact(store);
    await store.saveRequest({ ...reopened, status: 'denied', reason: 'denied again' }, []);
    await compact(store);
    await store.close();
    const again = await open();
    expect((await again.getRequest('r1'))?.reason).toBe('denied again');
    expect((await again.listRequests()).map((r) => r.id)).toEqual(ids);
    await again.close();
  });

  it('rebuilds a missing or damaged index from the archive, and says so', async () => {
    const store = await seed();
    await compact(store);
    const before = await state(store);
    await store.close();
    const index = await readFile(file('requests.idx'));
    for (const damage of [
      () => unlink(file('requests.idx')),
      () => {
        const flipped = Buffer.from(index);
        flipped[flipped.length - 40] = flipped[flipped.length - 40]! ^ 1;
        return writeFile(file('requests.idx'), flipped);
      },
      () => writeFile(file('requests.idx'), index.subarray(0, 20)),
    ]) {
      await damage();
      lines = [];
      const reopened = await open();
      expect(lines.join('\n')).toMatch(
        /requests\.idx was missing or damaged; rebuilt it .*3 requests/,
      );
      expect(await state(reopened)).toEqual(before);
      await reopened.close();
      expect(await readFile(file('requests.idx'))).toEqual(index);
    }
  });

  it('cuts off archive lines no index covers (their requests are still in db.json)', async () => {
    const store = await seed();
    await compact(store);
    const before = await state(store);
    await store.close();
    const size = (await stat(file('requests.jsonl'))).size;
    await writeFile(
      file('requests.jsonl'),
      `${await readFile(file('requests.jsonl'), 'utf8')}{"id":"r`,
    );
    const reopened = await open();
    expect(lines.join('\n')).toMatch(/cut off 8 bytes of an unfinished archive write/);
    expect((await stat(file('requests.jsonl'))).size).toBe(size);
    expect(await state(reopened)).toEqual(before);
    await reopened.close();
  });

  it('refuses an archive shorter than its index records, or db.json gone beside it', async () => {
    const store = await seed();
    await compact(store);
    await store.close();
    await truncate(file('requests.jsonl'), 10);
    await expect(open()).rejects.toMatchObject({
      code: 'ERR_STORE_CORRUPT',
      message: expect.stringMatching(/^requests\.jsonl is corrupt: it ends at byte 10/),
    });
    await rm(file('requests.jsonl'));
    await rm(file('requests.idx'));
    await writeFile(file('requests.jsonl'), `${JSON.stringify(req({ status: 'denied' }))}\n`);
    await rm(file('db.json'));
    await writeFile(file('journal.jsonl'), '');
    await writeFile(file('audit.jsonl'), '');
    await expect(open()).rejects.toMatchObject({
      code: 'ERR_STORE_CORRUPT',
      message: expect.stringMatching(/db\.json is missing although requests\.jsonl is not empty/),
    });
  });

  it('keeps every write when archiving fails, logs it, and archives at the next compaction', async () => {
    const faults = faultyFs();
    const store = await open({ fs: faults.fs });
    for (const request of seeded()) await store.saveRequest(request, []);
    const before = await state(store);
    faults.arm('write', 'requests.jsonl', 1, 0, 'ENOSPC');
    await compact(store);
    expect(lines.join('\n')).toMatch(/could not archive closed requests to requests\.jsonl/);
    expect(store.health?.().compaction).toMatchObject({ ok: false, failures: 1 });
    expect(await state(store)).toEqual(before);
    faults.arm('rename', 'requests.idx', 1, 0, 'EIO');
    await compact(store);
    expect(store.health?.().compaction).toMatchObject({ failures: 2 });
    expect(await state(store)).toEqual(before);
    await compact(store);
    expect(store.health?.()).toEqual({});
    await store.close();
    const reopened = await open();
    expect(await state(reopened)).toEqual(before);
    await reopened.close();
  });
});
