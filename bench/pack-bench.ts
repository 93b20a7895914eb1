import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import {
  startPack,
  type EngineResource,
  type PackHandle,
  type PolicyConfig,
  type StackRef,
} from '../test/engine/index.js';
import type { EngineStart } from './engine-start.js';
import { syntheticStack } from './synthetic-stack.js';

export { syntheticStack, type SyntheticResource } from './synthetic-stack.js';

/** The stack the benchmark analyzes by default. */
export const BENCH_STACK: StackRef = { org: 'acme', project: 'platform', stack: 'prod' };

export interface BenchPackOptions {
  packDir: string;
  /** The pack to compare against, typically the no-op pack. */
  baselineDir: string;
  resources: EngineResource[];
  /** Sent with `Configure` to both packs. */
  policyConfig?: PolicyConfig;
  /** Extra environment for both packs (service URL, token...). */
  env?: Record<string, string>;
  /** Fresh processes started per pack; figures are medians over the runs. */
  runs: number;
  stack?: StackRef;
  dryRun?: boolean;
  /**
   * Resources analyzed before timing, in each process. Default 0: the engine has no warm-up,
   * so the first use (the gate's one call to the service) counts.
   */
  warmup?: number;
  /**
   * The resource that ends the first use (the first sensitive one): the first use is every
   * Analyze of the run up to and including it, so that work the pack does ahead counts wherever
   * it lands.
   */
  firstUseIndex?: number;
  /**
   * The engine's start of the run, between `Configure` and `resources` (see engine-start.ts):
   * its two Analyze calls are timed with the others. Default none: the resources follow at once.
   */
  engineStart?: EngineStart;
}

/**
 * Median figures (milliseconds) of the pack and the baseline, and the median of the per-run
 * ratios pack / baseline (each run pairs two processes measured side by side).
 */
export interface Comparison {
  pack: number;
  baseline: number;
  ratio: number;
}

/** What one run measured for one pack. */
export interface Sample {
  coldStartMs: number;
  /** Every timed Analyze, then AnalyzeStack. */
  analyzeMs: number;
  analyzeStackMs: number;
  /** Every Analyze from the run's first through `firstUseIndex`'s, when given. */
  firstUseMs?: number;
  /** Diagnostics the timed Analyze calls returned, and AnalyzeStack's. */
  diagnostics: number;
  stackDiagnostics: number;
  /** How long the engine start's program load took (the same for both packs of a run). */
  programLoadMs?: number;
}

export interface PackBenchResult {
  /** Spawn to port. */
  coldStart: Comparison;
  /** All resources analyzed one call at a time, after the warm-up if any, then AnalyzeStack. */
  analyze: Comparison;
  /** The first use (see `firstUseIndex`), and per run the pack's time over the baseline's (ms). */
  firstUse?: Comparison & { overMs: { median: number; min: number; max: number } };
  /** Diagnostics returned in the timed pass of the last run, per pack. */
  diagnostics: { pack: number; baseline: number };
  /** Every run's figures, in run order. */
  samples: { pack: Sample[]; baseline: Sample[] };
}

type Side = 'pack' | 'baseline';

/**
 * Compares a pack with a baseline in the same harness run, as the engine drives a pack. Each run
 * starts a fresh process of each (alternating which starts first) and records spawn to port;
 * after the engine's setup calls (`Configure` included) it analyzes every resource one call at a
 * time, alternating between the two processes call by call so that changes in machine load weigh
 * on both alike, then sends `AnalyzeStack`. No warm-up unless asked: the first use counts. With
 * `engineStart`, the run begins as the engine begins it (the stack resource, the program's load,
 * the provider resource) before the resources.
 */
export async function benchPack(options: BenchPackOptions): Promise<PackBenchResult> {
  if (!Number.isInteger(options.runs) || options.runs < 1)
    throw new RangeError(`runs must be a positive integer, got ${options.runs}`);
  const samples: Record<Side, Sample[]> = { pack: [], baseline: [] };
  for (let run = 0; run < options.runs; run++) {
    const order: [Side, Side] = run % 2 === 0 ? ['pack', 'baseline'] : ['baseline', 'pack'];
    const result = await measureRun(order, options);
    samples.pack.push(result.pack);
    samples.baseline.push(result.baseline);
  }
  const compare = (pick: (s: Sample) => number): Comparison => ({
    pack: median(samples.pack.map(pick)),
    baseline: median(samples.baseline.map(pick)),
    ratio: median(samples.pack.map((s, i) => pick(s) / pick(samples.baseline[i]!))),
  });
  const firstUse = (s: Sample) => s.firstUseMs ?? 0;
  const over = samples.pack.map((s, i) => firstUse(s) - firstUse(samples.baseline[i]!));
  return {
    coldStart: compare((s) => s.coldStartMs),
    analyze: compare((s) => s.analyzeMs),
    ...(options.firstUseIndex === undefined
      ? {}
      : {
          firstUse: {
            ...compare(firstUse),
            overMs: { median: median(over), min: Math.min(...over), max: Math.max(...over) },
          },
        }),
    diagnostics: {
      pack: samples.pack.at(-1)!.diagnostics,
      baseline: samples.baseline.at(-1)!.diagnostics,
    },
    samples,
  };
}

async function measureRun(
  order: [Side, Side],
  options: BenchPackOptions,
): Promise<Record<Side, Sample>> {
  const packs: Partial<Record<Side, PackHandle>> = {};
  try {
    for (const side of order) {
      packs[side] = await startPack({
        packDir: side === 'pack' ? options.packDir : options.baselineDir,
        stack: options.stack ?? BENCH_STACK,
        dryRun: options.dryRun ?? false,
        env: options.env,
      });
    }
    const handles = order.map((side) => packs[side]!);
    // The engine's calls in its order: GetPluginInfo, ConfigureStack, GetAnalyzerInfo, Configure.
    for (const pack of handles) {
      await pack.getPluginInfo();
      await pack.configureStack();
      await pack.getAnalyzerInfo();
      await pack.configure(options.policyConfig ?? {});
      for (const resource of options.resources.slice(0, options.warmup ?? 0))
        await pack.analyze(resource);
    }
    const totals = handles.map(() => ({
      analyzeMs: 0,
      analyzeStackMs: 0,
      diagnostics: 0,
      stackDiagnostics: 0,
      firstUseMs: undefined as number | undefined,
    }));
    const timed = async <T>(which: number, call: () => Promise<T>) => {
      const startedAt = performance.now();
      const value = await call();
      const ms = performance.now() - startedAt;
      totals[which]!.analyzeMs += ms;
      return { value, ms };
    };
    /** One call at a time, as the engine makes them, to each process in turn. */
    const analyzeEach = async (resource: EngineResource, turn: number) => {
      for (let k = 0; k < handles.length; k++) {
        // Alternate which process answers first, so neither always follows the other.
        const which = (turn + k) % handles.length;
        const { value } = await timed(which, () => handles[which]!.analyze(resource));
        totals[which]!.diagnostics += value.length;
      }
    };
    let programLoadMs: number | undefined;
    const start = options.engineStart;
    if (start) {
      await analyzeEach(start.stack, 0);
      const loadStarted = performance.now();
      await start.programLoad();
      programLoadMs = performance.now() - loadStarted;
      await analyzeEach(start.provider, 1);
    }
    for (const [index, resource] of options.resources.entries()) {
      await analyzeEach(resource, index);
      if (index === options.firstUseIndex) for (const t of totals) t.firstUseMs = t.analyzeMs;
    }
    for (let which = 0; which < handles.length; which++) {
      const { value, ms } = await timed(which, () =>
        handles[which]!.analyzeStack(options.resources),
      );
      totals[which]!.analyzeStackMs = ms;
      totals[which]!.stackDiagnostics = value.length;
    }
    const sample = (i: number): Sample => {
      const { firstUseMs, ...rest } = totals[i]!;
      return {
        coldStartMs: handles[i]!.coldStartMs,
        ...rest,
        ...(firstUseMs === undefined ? {} : { firstUseMs }),
        ...(programLoadMs === undefined ? {} : { programLoadMs }),
      };
    };
    return order[0] === 'pack'
      ? { pack: sample(0), baseline: sample(1) }
      : { pack: sample(1), baseline: sample(0) };
  } finally {
    await Promise.all(Object.values(packs).map((pack) => pack.close()));
  }
}

/** The median of a non-empty list. */
export function median(values: number[]): number {
  if (values.length === 0) throw new RangeError('median of an empty list');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** One line per figure, for a terminal, with the spread of the per-run ratios. */
export function formatBench(result: PackBenchResult, resourceCount: number): string {
  const line = (label: string, c: Comparison, pick: (s: Sample) => number) => {
    const ratios = result.samples.pack.map((s, i) => pick(s) / pick(result.samples.baseline[i]!));
    const ms = (n: number) => `${n.toFixed(0).padStart(6)} ms`;
    const spread = `${Math.min(...ratios).toFixed(3)}-${Math.max(...ratios).toFixed(3)}`;
    return `${label.padEnd(30)} pack ${ms(c.pack)}  baseline ${ms(c.baseline)}  ratio ${c.ratio.toFixed(3)} (runs ${spread})`;
  };
  const first = result.firstUse;
  return [
    line('cold start (spawn to port)', result.coldStart, (s) => s.coldStartMs),
    line(`analyze ${resourceCount} resources`, result.analyze, (s) => s.analyzeMs),
    ...(first
      ? [
          `${line('first use', first, (s) => s.firstUseMs ?? 0)}  over baseline ${first.overMs.median.toFixed(1)} ms (${first.overMs.min.toFixed(1)}–${first.overMs.max.toFixed(1)})`,
        ]
      : []),
  ].join('\n');
}

// Sanity check of the harness itself: the no-op pack against itself should give ratios near 1.
if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const { values } = parseArgs({
    options: {
      resources: { type: 'string', default: '1000' },
      runs: { type: 'string', default: '5' },
    },
  });
  const noopPack = fileURLToPath(new URL('../test/fixtures/noop-pack', import.meta.url));
  const resources = syntheticStack(Number(values.resources), 0.1);
  const result = await benchPack({
    packDir: noopPack,
    baselineDir: noopPack,
    resources,
    runs: Number(values.runs),
  });
  console.log(`no-op pack against itself, ${values.runs} runs`);
  console.log(formatBench(result, resources.length));
}
