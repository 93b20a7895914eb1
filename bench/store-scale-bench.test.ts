import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openLowdbStore } from '@clearance/approval-service/testing';
import { seedScaledStore } from './scale-seed.js';
import { benchConfigYaml } from './service-bench-fixture.js';
import { formatStoreScaleBench, runStoreScaleBench } from './store-scale-bench.js';

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('the store-scale seed', () => {
  it('writes a store that opens whole: every request expired, each with its audit, one chain', async () => {
    const root = await mkdtemp(join(tmpdir(), 'scale-seed-'));
    dirs.push(root);
    await writeFile(join(root, 'config.yaml'), benchConfigYaml());
    const now = Date.parse('2026-06-01T00:00:00Z');
    await seedScaledStore(join(root, 'data'), join(root, 'config.yaml'), 25, now);
    // Opening verifies the whole hash chain of audit.jsonl against the snapshot's head.
    const store = await openLowdbStore({ dataDir: join(root, 'data'), log: () => {} });
    try {
      const requests = await store.listRequests();
      expect(requests).toHaveLength(25);
      expect(new Set(requests.map((r) => r.status))).toEqual(new Set(['expired']));
      expect(new Set(requests.map((r) => r.fingerprint)).size).toBe(25);
      const times = requests.map((r) => Date.parse(r.createdAt));
      expect(Math.min(...times)).toBeGreaterThanOrEqual(now - 365 * 86_400_000);
      expect(Math.max(...times)).toBeLessThan(now);
      const audit = await store.readAudit();
      const perRequest = await store.readAudit({ subject: requests[0]!.id });
      expect(perRequest.map((e) => e.action)).toContain('request.expired');
      expect(audit.length).toBe(1 + 25 * perRequest.length);
      // Its head is signed, as a stopping service signs it.
      const checkpoints = await readFile(join(root, 'data', 'audit-checkpoints.log'), 'utf8');
      expect(checkpoints.trimEnd().split('\n')).toHaveLength(1);
    } finally {
      await store.close();
    }
  });
});

describe('the store-scale benchmark, short and untimed', () => {
  it('starts the service on each size, round after round, and measures it', async () => {
    const result = await runStoreScaleBench({ sizes: [0, 30], rounds: 2, flowAmount: 8 });
    expect(result.rows.map((r) => [r.requests, r.runs.length, r.failed])).toEqual([
      [0, 2, undefined],
      [30, 2, undefined],
    ]);
    for (const row of result.rows) {
      expect(row.startMs!.median).toBeGreaterThan(0);
      expect(row.rssMiB!.min).toBeGreaterThan(10);
      expect(row.flowsPerSecond!.min).toBeGreaterThan(0);
    }
    expect(result.rows[0]!.flowsVsEmpty!.median).toBe(1);
    expect(result.rows[1]!.pagesMs!.history.median).toBeGreaterThan(0);
    expect(formatStoreScaleBench(result).split('\n')).toHaveLength(4);
  }, 240_000);
});
