import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { buildPack } from '../policy-pack/build.mjs';
import { serviceEnv } from '../test/pack/pack-fixtures.js';
import { startPackBenchService, type PackBenchService } from './pack-bench-service.js';
import { awsProgramStart } from './engine-start.js';
import { BENCH_STACK, benchPack, formatBench, median, type PackBenchResult } from './pack-bench.js';
import { syntheticStack, type SyntheticResource } from './synthetic-stack.js';

const packDir = fileURLToPath(new URL('../policy-pack', import.meta.url));
/** The baseline: as many policies as the pack, each doing nothing. */
export const noopPack = fileURLToPath(
  new URL('../test/fixtures/noop-policies-pack', import.meta.url),
);

/**
 * Targets of the pack benchmark: analyze (first use included) within 5% of a no-op pack, the
 * first use (every Analyze through the first sensitive one) under 20 ms over the no-op pack's,
 * cold start within 30%.
 */
export const PACK_AIMS = { analyzeRatio: 1.05, firstUseOverMs: 20, coldStartRatio: 1.3 } as const;

export interface PackGateBenchOptions {
  /** A built pack to measure instead of building `policy-pack/` first. */
  packDir?: string;
  resources?: number;
  sensitiveFraction?: number;
  runs?: number;
  /** Progress (default: stderr). */
  log?: (line: string) => void;
  /** The result table (default: stdout). */
  print?: (text: string) => void;
}

export interface PackGateBenchResult extends PackBenchResult {
  resources: number;
  approvals: number;
  runs: number;
  /** HTTP requests the service received from all pack processes together. */
  serviceRequests: number;
  aims: typeof PACK_AIMS;
  meetsAims: { analyze: boolean; firstUse: boolean; coldStart: boolean };
}

/**
 * The pack (built) against the no-op pack on `resources`, the service given, the first use
 * ending at the first sensitive resource; the run begun as the engine begins it or not.
 */
function againstNoop(o: {
  packDir?: string | undefined;
  resources: SyntheticResource[];
  runs: number;
  service: PackBenchService;
  engineStart: boolean;
}): Promise<PackBenchResult> {
  return benchPack({
    packDir: o.packDir ?? packDir,
    baselineDir: noopPack,
    resources: o.resources,
    runs: o.runs,
    env: serviceEnv(o.service),
    firstUseIndex: o.resources.findIndex((r) => r.sensitive),
    ...(o.engineStart ? { engineStart: awsProgramStart(BENCH_STACK) } : {}),
  });
}

/**
 * The Clearance pack, freshly built, against the no-op pack on the same synthetic stack (5,000
 * resources, 10% sensitive by default), with the approval service running on loopback and an
 * approval seeded for every sensitive resource: the gate's happy path.
 */
export async function runPackBench(
  options: PackGateBenchOptions = {},
): Promise<PackGateBenchResult> {
  const log = options.log ?? ((line: string) => void process.stderr.write(`${line}\n`));
  const print = options.print ?? ((text: string) => void process.stdout.write(`${text}\n`));
  const count = options.resources ?? 5000;
  const runs = options.runs ?? 5;
  const sensitiveFraction = options.sensitiveFraction ?? 0.1;
  const resources = syntheticStack(count, sensitiveFraction);
  if (!options.packDir) await buildPack();
  const service = await startPackBenchService({ count, sensitiveFraction });
  try {
    log(`seeded ${service.approvals} approvals; ${runs} runs of ${count} resources…`);
    const before = await service.requests();
    const result = await againstNoop({ ...options, resources, runs, service, engineStart: true });
    const summary: PackGateBenchResult = {
      ...result,
      resources: count,
      approvals: service.approvals,
      runs,
      serviceRequests: (await service.requests()) - before,
      aims: PACK_AIMS,
      meetsAims: {
        analyze: result.analyze.ratio <= PACK_AIMS.analyzeRatio,
        firstUse: (result.firstUse?.overMs.median ?? 0) < PACK_AIMS.firstUseOverMs,
        coldStart: result.coldStart.ratio <= PACK_AIMS.coldStartRatio,
      },
    };
    print(`\n${formatPackGateBench(summary)}`);
    return summary;
  } finally {
    await service.close();
  }
}

/** The figures and whether they meet the aims, for a terminal. */
export function formatPackGateBench(r: PackGateBenchResult): string {
  const verdict = (ok: boolean) => (ok ? 'meets' : 'MISSES');
  return [
    `Policy pack vs no-op pack (${r.resources} resources, ${r.approvals} approved, median of ${r.runs} runs)`,
    formatBench(r, r.resources),
    `analyze ratio ${r.analyze.ratio.toFixed(3)} ${verdict(r.meetsAims.analyze)} the aim ≤ ${r.aims.analyzeRatio}`,
    `first use ${(r.firstUse?.overMs.median ?? 0).toFixed(1)} ms over the no-op pack ${verdict(r.meetsAims.firstUse)} the aim < ${r.aims.firstUseOverMs} ms`,
    `cold start ratio ${r.coldStart.ratio.toFixed(3)} ${verdict(r.meetsAims.coldStart)} the aim ≤ ${r.aims.coldStartRatio}`,
    `service requests from ${r.runs} pack processes: ${r.serviceRequests}`,
  ].join('\n');
}

export interface FirstUseBenchResult {
  /** Approvals the stack held, the pack's first use and the no-op pack's (ms). */
  rows: {
    held: number;
    runs: number;
    /**
     * Median of the engine start's program load (ms), when the run began as the engine begins
     * it; undefined when the resources followed `Configure` at once (the worst case).
     */
    programLoadMs?: number | undefined;
    pack: number;
    baseline: number;
    overMs: { median: number; min: number; max: number };
    meetsAim: boolean;
  }[];
  aimOverMs: number;
}

/**
 * The first use of a run (every Analyze through the first sensitive one), the pack's against
 * the no-op pack's, while the stack holds `held` approvals (10, 1,000 and 10,000 by default): a
 * stack of 50 resources analyzed, its sensitive ones among the approved. Each count is measured twice: with the run begun as the
 * engine begins it (the stack resource, the program's load, the provider resource), and with the
 * resources right after `Configure`, which no real run does: the worst case.
 */
export async function runFirstUseBench(
  options: {
    held?: number[];
    runs?: number;
    packDir?: string;
    /** Which starts to measure: true, the engine's; false, none (default both). */
    engineStart?: boolean[];
    log?: (line: string) => void;
  } = {},
): Promise<FirstUseBenchResult> {
  const log = options.log ?? ((line: string) => void process.stderr.write(`${line}\n`));
  const runs = options.runs ?? 5;
  if (!options.packDir) await buildPack();
  const rows: FirstUseBenchResult['rows'] = [];
  for (const held of options.held ?? [10, 1000, 10_000]) {
    // `held` sensitive resources among ten times as many; the run analyzes the first 50.
    const spec = { count: held * 10, sensitiveFraction: 0.1 };
    log(`first use: seeding ${held} approvals…`);
    const service = await startPackBenchService(spec);
    try {
      const resources = syntheticStack(spec.count, spec.sensitiveFraction).slice(0, 50);
      for (const withStart of options.engineStart ?? [true, false]) {
        const result = await againstNoop({
          ...options,
          resources,
          runs,
          service,
          engineStart: withStart,
        });
        const first = result.firstUse!;
        const loads = result.samples.pack.flatMap((s) => s.programLoadMs ?? []);
        rows.push({
          held: service.approvals,
          runs,
          programLoadMs: loads.length > 0 ? median(loads) : undefined,
          pack: first.pack,
          baseline: first.baseline,
          overMs: first.overMs,
          meetsAim: first.overMs.median < PACK_AIMS.firstUseOverMs,
        });
        const how = withStart ? 'engine start' : 'right after Configure';
        log(
          `  ${service.approvals} held, ${how}: ${first.overMs.median.toFixed(1)} ms over the no-op pack`,
        );
      }
    } finally {
      await service.close();
    }
  }
  return { rows, aimOverMs: PACK_AIMS.firstUseOverMs };
}

/** The first-use figures as a Markdown table. */
export function formatFirstUseBench(r: FirstUseBenchResult): string {
  const ms = (n: number) => n.toFixed(1);
  return [
    `| approvals held | run begins | pack first use (ms) | no-op pack (ms) | over no-op: median (min–max) ms | aim < ${r.aimOverMs} ms |`,
    '| --- | --- | --- | --- | --- | --- |',
    ...r.rows.map(
      (row) =>
        `| ${row.held.toLocaleString('en-US')} | ${row.programLoadMs === undefined ? 'right after Configure' : `as the engine begins (program load ${row.programLoadMs.toFixed(0)} ms)`} | ${ms(row.pack)} | ${ms(row.baseline)} | ${ms(row.overMs.median)} (${ms(row.overMs.min)}–${ms(row.overMs.max)}) | ${row.meetsAim ? 'meets' : 'MISSES'} |`,
    ),
  ].join('\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const { values } = parseArgs({
    options: {
      resources: { type: 'string', default: '5000' },
      runs: { type: 'string', default: '5' },
    },
  });
  await runPackBench({ resources: Number(values.resources), runs: Number(values.runs) });
}
