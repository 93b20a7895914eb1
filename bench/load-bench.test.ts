import { describe, expect, it } from 'vitest';
import { formatLoadBench, runLoadBench } from './load-bench.js';

describe('the load benchmark', () => {
  it(
    'drives mixed traffic and finds every acknowledged write after a restart',
    { timeout: 120_000 },
    async () => {
      const result = await runLoadBench({ seconds: 2, connections: 4, approved: 10 });
      expect(result.errors).toBe(0);
      expect(result.non2xx).toBe(0);
      expect(result.checks).toBeGreaterThan(0);
      expect(result.acknowledged).toBeGreaterThan(0);
      expect(result.lost).toEqual([]);
      expect(result.auditIntact).toBe(true);
      expect(result.rssAfterMb).toBeGreaterThan(0);
      expect(formatLoadBench(result)).toMatch(/^measure\s+value\n/);
    },
  );
});
