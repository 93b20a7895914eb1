import { describe, expect, it } from 'vitest';
import { bucketStack, runRequireApprovalBench } from './require-approval-bench.js';

describe('bucketStack', () => {
  it('tags every tenth bucket public at 10%', () => {
    const stack = bucketStack(20, 0.1);
    const pub = stack.filter(
      (r) => (r.properties?.tags as { exposure: string }).exposure === 'public',
    );
    expect(pub.map((r) => r.name)).toEqual(['bucket-0', 'bucket-10']);
  });
});

// The benchmark's short version, untimed: it runs end to end, and the wrapped pack lets every
// approved violation through while the bare policy reports each.
describe('runRequireApprovalBench, short', { timeout: 120_000 }, () => {
  it('compares the wrapped and the bare pack on the same stack', async () => {
    const printed: string[] = [];
    const result = await runRequireApprovalBench({
      resources: 40,
      runs: 1,
      log: () => {},
      print: (text) => printed.push(text),
    });
    expect(result.violating).toBe(4);
    expect(result.diagnostics).toEqual({ pack: 0, baseline: 4 });
    expect(result.samples.pack).toHaveLength(1);
    expect(result.analyzeRatios.min).toBeLessThanOrEqual(result.analyzeRatios.max);
    expect(printed.join('\n')).toMatch(/requireApproval vs the bare inner policy[\s\S]*median/);
  });
});
