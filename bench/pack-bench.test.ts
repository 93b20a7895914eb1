import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { benchPack, formatBench, median } from './pack-bench.js';

const fixture = (name: string) =>
  fileURLToPath(new URL(`../test/fixtures/${name}`, import.meta.url));

describe('median', () => {
  it('takes the middle value, or the mean of the two middle values', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(() => median([])).toThrow(RangeError);
  });
});

describe('benchPack', { timeout: 60_000 }, () => {
  it('measures pack and baseline apart, whichever starts first', async () => {
    const resources = [
      { type: 'probe:index:Violating', name: 'a' },
      { type: 'aws:s3/bucket:Bucket', name: 'b' },
      { type: 'probe:index:Violating', name: 'c' },
    ];
    const result = await benchPack({
      packDir: fixture('probe-pack'),
      baselineDir: fixture('noop-pack'),
      resources,
      runs: 2,
      warmup: 1,
    });
    expect(result.diagnostics).toEqual({ pack: 2, baseline: 0 });
    expect(result.samples.pack.map((s) => s.diagnostics)).toEqual([2, 2]);
    expect(result.samples.baseline.map((s) => s.diagnostics)).toEqual([0, 0]);
    const [p1, p2] = result.samples.pack.map((s) => s.analyzeMs);
    const [b1, b2] = result.samples.baseline.map((s) => s.analyzeMs);
    expect(result.analyze.pack).toBeCloseTo((p1! + p2!) / 2, 10);
    expect(result.analyze.baseline).toBeCloseTo((b1! + b2!) / 2, 10);
    expect(result.analyze.ratio).toBeCloseTo((p1! / b1! + p2! / b2!) / 2, 10);
    expect(result.coldStart.pack).toBeGreaterThan(0);
    expect(formatBench(result, 3)).toMatch(/cold start[\s\S]*analyze 3 resources/);
  });

  it('begins the run as the engine does when asked, and counts every Analyze through the first use', async () => {
    const loads: number[] = [];
    const result = await benchPack({
      packDir: fixture('probe-pack'),
      baselineDir: fixture('noop-pack'),
      resources: [
        { type: 'aws:s3/bucket:Bucket', name: 'b' },
        { type: 'probe:index:Violating', name: 'c' },
      ],
      runs: 2,
      firstUseIndex: 1,
      engineStart: {
        stack: { type: 'probe:index:Violating', name: 'stack' },
        provider: { type: 'probe:index:Violating', name: 'provider' },
        programLoad: async () => {
          loads.push(Date.now());
          await new Promise((resolve) => setTimeout(resolve, 20));
        },
      },
    });
    expect(loads).toHaveLength(2);
    // The stack and the provider resources are analyzed too: 3 violations per run.
    expect(result.samples.pack.map((s) => s.diagnostics)).toEqual([3, 3]);
    for (const s of [...result.samples.pack, ...result.samples.baseline]) {
      expect(s.programLoadMs).toBeGreaterThanOrEqual(19);
      // The first use is the last resource here: every Analyze but AnalyzeStack.
      expect(s.firstUseMs).toBeCloseTo(s.analyzeMs - s.analyzeStackMs, 6);
    }
  });

  it('refuses a run count below one', async () => {
    await expect(
      benchPack({
        packDir: fixture('noop-pack'),
        baselineDir: fixture('noop-pack'),
        resources: [],
        runs: 0,
      }),
    ).rejects.toThrow(RangeError);
  });
});
