import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { buildPack } from '../policy-pack/build.mjs';
import { packBindings, seedApprovals, serviceEnv } from '../test/pack/pack-fixtures.js';
import { startTestService } from '../test/pack/test-service.js';
import { BENCH_STACK, benchPack, formatBench, type PackBenchResult } from './pack-bench.js';
import { syntheticStack } from './synthetic-stack.js';

const packDir = fileURLToPath(new URL('../policy-pack', import.meta.url));
const noopPack = fileURLToPath(new URL('../test/fixtures/noop-pack', import.meta.url));

/** Targets of the pack benchmark: analyze within 10% of a no-op pack, cold start within 30%. */
export const PACK_AIMS = { analyzeRatio: 1.1, coldStartRatio: 1.3 } as const;

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
  meetsAims: { analyze: boolean; coldStart: boolean };
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
  const resources = syntheticStack(count, options.sensitiveFraction ?? 0.1);
  if (!options.packDir) await buildPack();
  const service = await startTestService({ memoryStore: true });
  try {
    const bindings = packBindings(BENCH_STACK, resources);
    await seedApprovals(service, bindings);
    log(`seeded ${bindings.length} approvals; ${runs} runs of ${count} resources…`);
    const before = service.seen.length;
    const result = await benchPack({
      packDir: options.packDir ?? packDir,
      baselineDir: noopPack,
      resources,
      runs,
      env: serviceEnv(service),
    });
    const summary: PackGateBenchResult = {
      ...result,
      resources: count,
      approvals: bindings.length,
      runs,
      serviceRequests: service.seen.length - before,
      aims: PACK_AIMS,
      meetsAims: {
        analyze: result.analyze.ratio <= PACK_AIMS.analyzeRatio,
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
    `cold start ratio ${r.coldStart.ratio.toFixed(3)} ${verdict(r.meetsAims.coldStart)} the aim ≤ ${r.aims.coldStartRatio}`,
    `service requests from ${r.runs} pack processes: ${r.serviceRequests}`,
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
