import { describe, expect, it } from 'vitest';
import { formatRealCliBench, spread } from './real-cli-bench.js';

describe('the real-CLI benchmark figures', () => {
  it('takes the median, min and max of a set of rounds', () => {
    expect(spread([3, 1, 2])).toEqual({ median: 2, min: 1, max: 3 });
    expect(spread([4, 1, 3, 2])).toEqual({ median: 2.5, min: 1, max: 4 });
  });

  it('prints the ratios and the HTTP calls per preview', () => {
    const s = (median: number) => ({ median, min: median, max: median });
    const text = formatRealCliBench({
      resources: 500,
      sensitive: 50,
      rounds: 5,
      seconds: { noPack: s(10), noopPack: s(12), clearance: s(13) },
      ratio: { vsNoPack: s(1.3), vsNoopPack: s(1.08) },
      httpCalls: { allApproved: 2, firstPreview: { '1': 2, '50': 51 } },
    });
    expect(text).toContain('| no-op pack | 12.0 (12.0–12.0) | 1.08 (1.08–1.08) |');
    expect(text).toContain('all approved 2; first preview 1 unapproved: 2, 50 unapproved: 51');
  });
});
