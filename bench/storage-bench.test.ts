import { describe, expect, it } from 'vitest';
import { postgresAvailable } from '@clearance/approval-service/testing';
import { formatStorageBench, runStorageBench } from './storage-bench.js';

const available = postgresAvailable('bench/storage-bench.test.ts');

describe.runIf(available)('the storage benchmark, short and untimed', () => {
  it('measures checks and flows on lowdb, PostgreSQL and two replicas, nothing failing', async () => {
    const result = await runStorageBench({ amount: 6, seed: 120, connections: 2 });
    expect(result.measures.map((m) => `${m.store}: ${m.scenario}`)).toEqual(
      ['lowdb', 'PostgreSQL', 'PostgreSQL, 2 replicas'].flatMap((store) => [
        `${store}: POST /v1/checks, 1 item`,
        `${store}: POST /v1/checks, 100 items`,
        `${store}: request + 2 approvals`,
      ]),
    );
    for (const m of result.measures) expect(m.failed).toBe(0);
    const flows = result.measures.filter((m) => m.scenario === 'request + 2 approvals');
    for (const m of flows) expect(m.unitsPerSecond).toBeGreaterThan(0);
    expect(formatStorageBench(result).split('\n')).toHaveLength(2 + result.measures.length);
  }, 240_000);
});
