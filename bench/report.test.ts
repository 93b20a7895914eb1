import { describe, expect, it } from 'vitest';
import { markdownReport, scalingChart } from './report.js';

const sp = (median: number) => ({ median, min: median, max: median });

describe('the benchmark report', () => {
  const input = {
    service: {
      environment: { node: 'v20', platform: 'linux', cpus: 2, loadAverage: [2, 2, 2] },
      seed: { approvedRequests: 100, seconds: 1 },
      scenarios: [
        {
          name: 'POST /v1/checks, 100 items',
          connections: 10,
          pairs: 5,
          service: sp(90),
          bare: sp(100),
          ratio: sp(0.9),
          aim: 0.8,
          latencyP50Ms: 1,
          latencyP99Ms: 2,
          failed: 0,
          itemsPerSecond: 9000,
          runs: [],
        },
      ],
    },
    firstUse: {
      rows: [
        {
          held: 10,
          runs: 5,
          programLoadMs: 900,
          pack: 12,
          baseline: 2,
          overMs: sp(10),
          meetsAim: true,
        },
        { held: 10, runs: 5, pack: 40, baseline: 2, overMs: sp(38), meetsAim: false },
      ],
      aimOverMs: 20,
    },
  };

  it('tables each scenario beside its bare baseline, and first use by approvals held', () => {
    const md = markdownReport(input);
    expect(md).toContain(
      '| POST /v1/checks, 100 items | 10 | 90.0 | 100.0 | 0.90 (0.90–0.90) | ≥ 0.8 |',
    );
    expect(md).toContain('load average 2.0 2.0 2.0');
    expect(md).toContain(
      '| 10 | as the engine begins (program load 900 ms) | 12.0 | 2.0 | 10.0 (10.0–10.0) | meets |',
    );
    expect(md).toContain('| 10 | right after Configure | 40.0 | 2.0 | 38.0 (38.0–38.0) | MISSES |');
  });

  it('charts the checks ratio by items and first use by approvals held, as the engine begins', () => {
    const svg = scalingChart(input);
    expect(svg).toContain('>100 items</text>');
    expect(svg).toContain('>10</text>');
    expect(svg.match(/<rect x=/g)).toHaveLength(2);
  });

  it('leaves out what was skipped', () => {
    expect(markdownReport({ service: { skipped: 'no' }, pack: { skipped: 'no' } })).toBe('');
  });
});
