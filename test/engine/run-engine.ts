import { performance } from 'node:perf_hooks';
import { startPack, type StartPackOptions } from './start-pack.js';
import type { AnalyzerInfo, Diagnostic, EngineResource, PolicyConfig } from './types.js';

/** One preview or update of a stack, as the engine drives the pack. */
export interface RunEngineOptions extends StartPackOptions {
  resources: EngineResource[];
  /** Sent with `Configure`, as `--policy-pack-config` would; without it `Configure` is not called. */
  policyConfig?: PolicyConfig;
  /** How many `Analyze` calls are in flight at once. Default 1. */
  concurrency?: number;
}

export interface EngineRun {
  /** Diagnostics of every `Analyze` (in resource order), then of `AnalyzeStack`. */
  diagnostics: Diagnostic[];
  info: AnalyzerInfo;
  coldStartMs: number;
  /** Milliseconds spent on all `Analyze` calls. */
  analyzeMs: number;
}

/**
 * Starts the pack and runs the engine's calls in order: `ConfigureStack`, `GetAnalyzerInfo`,
 * `Configure` (with a policy config), `Analyze` for each resource, then `AnalyzeStack` with the
 * outputs. The pack is stopped afterwards, also on failure.
 */
export async function runEngine(options: RunEngineOptions): Promise<EngineRun> {
  const pack = await startPack(options);
  try {
    await pack.configureStack();
    const info = await pack.getAnalyzerInfo();
    if (options.policyConfig) await pack.configure(options.policyConfig);
    const startedAt = performance.now();
    const perResource = await mapConcurrent(options.resources, options.concurrency ?? 1, (r) =>
      pack.analyze(r),
    );
    const analyzeMs = performance.now() - startedAt;
    const stackDiagnostics = await pack.analyzeStack(options.resources);
    return {
      diagnostics: [...perResource.flat(), ...stackDiagnostics],
      info,
      coldStartMs: pack.coldStartMs,
      analyzeMs,
    };
  } finally {
    await pack.close();
  }
}

/** Maps items with at most `limit` calls pending at once; results keep the order of the items. */
export async function mapConcurrent<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  if (!Number.isInteger(limit) || limit < 1)
    throw new RangeError(`concurrency must be a positive integer, got ${limit}`);
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
