import { describe, expect, it } from 'vitest';
import { sharedPackDir } from '../test/pack/pack-and-service.js';
import { formatPackGateBench, runPackBench } from './pack-gate-bench.js';

describe('runPackBench', { timeout: 120_000 }, () => {
  it('compares the pack with the no-op pack on the happy path: one service call per process', async () => {
    const lines: string[] = [];
    const result = await runPackBench({
      packDir: sharedPackDir(),
      resources: 120,
      runs: 1,
      log: () => {},
      print: (text) => lines.push(text),
    });
    expect(result.approvals).toBe(12);
    expect(result.diagnostics).toEqual({ pack: 0, baseline: 0 });
    expect(result.serviceRequests).toBe(1);
    expect(result.analyze.ratio).toBeGreaterThan(0);
    expect(result.meetsAims.analyze).toBe(result.analyze.ratio <= 1.1);
    expect(lines.join('\n')).toContain(formatPackGateBench(result));
    expect(formatPackGateBench(result)).toMatch(
      /analyze ratio [\d.]+ (meets|MISSES) the aim ≤ 1.1/,
    );
  });
});
