import { describe, expect, it } from 'vitest';
import {
  conditionVariants,
  formatConditionsBench,
  runConditionsBench,
} from './conditions-bench.js';

describe('runConditionsBench', { timeout: 120_000 }, () => {
  it('times the approvals call with 0, 10 and 100 conditions, cached and not, against the 0-condition call', async () => {
    const result = await runConditionsBench({ rounds: 1, calls: 1 });
    expect(result.verdicts).toEqual({
      none: 0,
      '10 cached': 10,
      '100 cached': 100,
      '10 uncached': 10,
      '100 uncached': 100,
    });
    expect(result.ratio.none.median).toBe(1);
    for (const n of conditionVariants) expect(result.ms[n].median).toBeGreaterThan(0);
    // Cached: asked once when warmed. Uncached: on every call (warm-up, count, the timed one).
    expect(result.endpointCalls).toBe(10 + 100 + 3 * 10 + 3 * 100);
    expect(formatConditionsBench(result)).toMatch(/^100 uncached +100 +[\d.]+ \([\d.]+–[\d.]+\)/m);
  });
});
