import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appHarness } from '../http/app-harness.case.js';
import { faultyFs } from './faulty-fs.case.js';
import { openLowdbStore } from './lowdb-store.js';
import type { Store } from './store.js';
import { makeAuditEvent as ev, makeStoredRequest as req } from './store-fixtures.case.js';

describe('a compaction that fails', () => {
  let dataDir: string;
  let faults: ReturnType<typeof faultyFs>;
  let store: Store;
  let lines: string[];

  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'clearance-compaction-'));
    faults = faultyFs();
    lines = [];
    store = await openLowdbStore({
      dataDir,
      fs: faults.fs,
      compactAfterBytes: 0,
      log: (line) => lines.push(line),
    });
  });
  afterEach(async () => {
    await store.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  const save = (n: number) =>
    store.saveRequest(req({ id: `req-${n}` }), [ev({ subject: `req-${n}` })]);

  it('is logged and shown by health(), keeps every write, backs off, and clears once one succeeds', async () => {
    faults.arm('rename', 'db.json', Number.POSITIVE_INFINITY, 0, 'ENOSPC');
    for (let n = 1; n <= 8; n++) await save(n);
    const health = store.health?.();
    expect(health?.compaction).toMatchObject({
      ok: false,
      lastError: expect.stringMatching(/^could not write a new db\.json: .*ENOSPC/),
    });
    const failures = health?.compaction?.failures ?? 0;
    expect(failures).toBeGreaterThanOrEqual(1);
    expect(failures).toBeLessThan(8); // not every write serializes the whole store again
    expect(lines.filter((l) => l.includes('store: compaction failed'))).toHaveLength(failures);
    expect(lines[0]).toMatch(/journal\.jsonl still holds every change/);
    expect((await store.listRequests()).map((r) => r.id)).toHaveLength(8);

    faults.disarm();
    for (let n = 9; store.health?.().compaction && n < 40; n++) await save(n);
    expect(store.health?.()).toEqual({});
    const db = JSON.parse(await readFile(join(dataDir, 'db.json'), 'utf8')) as {
      requests: unknown[];
    };
    expect(db.requests.length).toBe((await store.listRequests()).length);
  });

  it('shows in /healthz, without the data directory in the answer', async () => {
    const { app } = await appHarness({}, { store });
    expect(await (await app.request('/healthz')).json()).toEqual({ ok: true });
    faults.arm('rename', 'db.json', Number.POSITIVE_INFINITY, 0, 'ENOSPC');
    await save(1);
    const res = await app.request('/healthz');
    const text = await res.text();
    expect(res.status).toBe(200);
    expect(JSON.parse(text)).toEqual({
      ok: true,
      compaction: {
        ok: false,
        failures: 1,
        lastFailedAt: expect.any(String),
        lastError: expect.stringMatching(/^could not write a new db\.json: .*ENOSPC/),
      },
    });
    expect(text).not.toContain(dataDir);
  });
});

describe('the onCompaction hook', () => {
  it('is told as each compaction starts and ends, a failing one too', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'clearance-compaction-hook-'));
    const faults = faultyFs();
    const phases: string[] = [];
    const store = await openLowdbStore({
      dataDir,
      fs: faults.fs,
      compactAfterBytes: 0,
      log: () => undefined,
      onCompaction: (phase) => phases.push(phase),
    });
    try {
      await store.saveRequest(req({ id: 'req-1' }), [ev({ subject: 'req-1' })]);
      expect(phases).toEqual(['start', 'end']);
      faults.arm('rename', 'db.json', Number.POSITIVE_INFINITY, 0, 'ENOSPC');
      for (let n = 2; phases.length < 4 && n < 20; n++) {
        await store.saveRequest(req({ id: `req-${n}` }), [ev({ subject: `req-${n}` })]);
      }
      expect(phases).toEqual(['start', 'end', 'start', 'end']);
      expect(store.health?.().compaction?.failures).toBe(1);
    } finally {
      await store.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
