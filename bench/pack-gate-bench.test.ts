import { describe, expect, it } from 'vitest';
import { startPack } from '../test/engine/index.js';
import { sharedPackDir } from '../test/pack/pack-and-service.js';
import { BENCH_STACK } from './pack-bench.js';
import {
  noopPack,
  formatFirstUseBench,
  formatPackGateBench,
  runFirstUseBench,
  runPackBench,
} from './pack-gate-bench.js';

describe('runPackBench', { timeout: 120_000 }, () => {
  it('sets the pack beside a no-op pack with as many policies of each kind', async () => {
    const kinds = async (packDir: string) => {
      const pack = await startPack({ packDir, stack: BENCH_STACK, dryRun: true });
      try {
        const { policies } = await pack.getAnalyzerInfo();
        return policies.map((p) => p.name === 'clearance-run-record' || p.name === 'noop-stack');
      } finally {
        await pack.close();
      }
    };
    const [pack, baseline] = [await kinds(sharedPackDir()), await kinds(noopPack)];
    expect(baseline.length).toBe(pack.length);
    expect(baseline.filter(Boolean)).toEqual(pack.filter(Boolean));
  });

  it('compares the pack with the no-op pack on the happy path: one read and one run report per process', async () => {
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
    // GET /v1/approvals at first use, POST /v1/runs after AnalyzeStack.
    expect(result.serviceRequests).toBe(2);
    expect(result.analyze.ratio).toBeGreaterThan(0);
    expect(result.meetsAims.analyze).toBe(result.analyze.ratio <= 1.05);
    expect(result.firstUse?.pack).toBeGreaterThan(0);
    expect(result.samples.pack[0]?.analyzeStackMs).toBeGreaterThan(0);
    expect(lines.join('\n')).toContain(formatPackGateBench(result));
    expect(formatPackGateBench(result)).toMatch(
      /analyze ratio [\d.]+ (meets|MISSES) the aim ≤ 1.05\nfirst use [\d.-]+ ms over the no-op pack (meets|MISSES) the aim < 20 ms/,
    );
  });

  it('times the first use with the approvals the stack holds, begun as the engine begins and not', async () => {
    const result = await runFirstUseBench({
      held: [2],
      runs: 1,
      packDir: sharedPackDir(),
      log: () => {},
    });
    expect(result.rows.map((row) => row.held)).toEqual([2, 2]);
    expect(result.rows[0]!.pack).toBeGreaterThan(0);
    // The engine's start loads an AWS program's modules in a Node process of its own.
    expect(result.rows[0]!.programLoadMs).toBeGreaterThan(0);
    expect(result.rows[1]!.programLoadMs).toBeUndefined();
    expect(formatFirstUseBench(result)).toMatch(
      /^\| approvals held[\s\S]*\n\| 2 \| as the engine begins \(program load \d+ ms\) \|[\s\S]*\n\| 2 \| right after Configure \| /,
    );
  });
});
