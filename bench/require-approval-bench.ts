import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { buildPack } from '../policy-pack/build.mjs';
import { gateItem } from '../policy-pack/src/gate/gate-item.js';
import { runContextFrom } from '../policy-pack/src/gate/run-context.js';
import { inputsFinding } from '../policy-pack/src/library/inputs-finding.js';
import { redactMaterial } from '@clearance/client';
import { resourceUrn, type EngineResource } from '../test/engine/index.js';
import { seedApprovals, serviceEnv, type PackBinding } from '../test/pack/pack-fixtures.js';
import { startTestService } from '../test/pack/test-service.js';
import { publicBuckets } from './require-approval/inner-policy.js';
import { BENCH_STACK, benchPack, formatBench, type PackBenchResult } from './pack-bench.js';
import { awsProgramStart } from './engine-start.js';

const root = fileURLToPath(new URL('..', import.meta.url));

export interface RequireApprovalBenchOptions {
  resources?: number;
  /** Share of the resources the inner policy flags (each approved). */
  violatingFraction?: number;
  runs?: number;
  log?: (line: string) => void;
  print?: (text: string) => void;
}

export interface RequireApprovalBenchResult extends PackBenchResult {
  resources: number;
  violating: number;
  runs: number;
  /** Per-run ratios of analyze time, wrapped ÷ bare: median, min and max. */
  analyzeRatios: { median: number; min: number; max: number };
}

/** Buckets, every `1 / fraction`-th tagged public: the ones the inner policy flags. */
export function bucketStack(count: number, fraction: number): EngineResource[] {
  const every = Math.round(1 / fraction);
  return Array.from({ length: count }, (_, i) => ({
    type: 'aws:s3/bucket:Bucket',
    name: `bucket-${i}`,
    properties: {
      bucket: `bucket-${i}`,
      forceDestroy: false,
      tags: { team: 'platform', exposure: i % every === 0 ? 'public' : 'internal' },
    },
  }));
}

/** The binding `requireApproval` asks an approval for: the stack, the URN, the policy and all inputs. */
function bindingOf(resource: EngineResource): PackBinding {
  const run = runContextFrom({
    getOrganization: () => BENCH_STACK.org,
    getProject: () => BENCH_STACK.project,
    getStack: () => BENCH_STACK.stack,
    isDryRun: () => false,
  });
  const input = {
    type: resource.type,
    urn: resourceUrn(BENCH_STACK, resource),
    name: resource.name,
    props: resource.properties ?? {},
  };
  const finding = inputsFinding(input, ['The bucket is public.']);
  const { binding } = gateItem(run, publicBuckets.name, input, finding);
  const material = redactMaterial(finding.material) as Record<string, unknown>;
  return { ...binding, type: resource.type, summary: finding.summary, material };
}

/** Builds one of the benchmark's packs into a folder of its own inside the repository. */
async function buildBenchPack(entry: string, dirs: string[]): Promise<string> {
  await mkdir(path.join(root, '.tmp'), { recursive: true });
  const dir = await mkdtemp(path.join(root, '.tmp', 'bench-pack-'));
  dirs.push(dir);
  await writeFile(path.join(dir, 'PulumiPolicy.yaml'), 'runtime: nodejs\n');
  const manifest = { name: 'bench-pack', version: '0.1.0', type: 'module', main: 'dist/index.js' };
  await writeFile(path.join(dir, 'package.json'), JSON.stringify(manifest));
  await buildPack({
    entry: fileURLToPath(new URL(`./require-approval/${entry}`, import.meta.url)),
    outfile: path.join(dir, 'dist/index.js'),
  });
  return dir;
}

/**
 * What `requireApproval` costs over the bare inner policy: the same policy in two packs, bare and
 * wrapped, on the same stack (5,000 buckets, 10% violating by default, every violation approved
 * at the service on loopback). Each run starts both packs fresh and analyzes the resources in
 * interleaved pairs (see benchPack); the figure is the median of the per-run ratios.
 */
export async function runRequireApprovalBench(
  options: RequireApprovalBenchOptions = {},
): Promise<RequireApprovalBenchResult> {
  const log = options.log ?? ((line: string) => void process.stderr.write(`${line}\n`));
  const print = options.print ?? ((text: string) => void process.stdout.write(`${text}\n`));
  const count = options.resources ?? 5000;
  const runs = options.runs ?? 5;
  const resources = bucketStack(count, options.violatingFraction ?? 0.1);
  const violating = resources.filter(
    (r) => (r.properties?.tags as { exposure?: string }).exposure === 'public',
  );
  const dirs: string[] = [];
  const service = await startTestService({ memoryStore: true });
  try {
    const [wrapped, bare] = [
      await buildBenchPack('wrapped-pack.ts', dirs),
      await buildBenchPack('bare-pack.ts', dirs),
    ];
    await seedApprovals(service, violating.map(bindingOf));
    log(`seeded ${violating.length} approvals; ${runs} runs of ${count} resources…`);
    const result = await benchPack({
      packDir: wrapped,
      baselineDir: bare,
      resources,
      runs,
      env: serviceEnv(service),
      engineStart: awsProgramStart(BENCH_STACK),
    });
    const ratios = result.samples.pack.map(
      (s, i) => s.analyzeMs / (result.samples.baseline[i]?.analyzeMs ?? Number.NaN),
    );
    const summary: RequireApprovalBenchResult = {
      ...result,
      resources: count,
      violating: violating.length,
      runs,
      analyzeRatios: {
        median: result.analyze.ratio,
        min: Math.min(...ratios),
        max: Math.max(...ratios),
      },
    };
    print(`\n${formatRequireApprovalBench(summary)}`);
    return summary;
  } finally {
    await service.close();
    await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
  }
}

/** The figures, for a terminal. */
export function formatRequireApprovalBench(r: RequireApprovalBenchResult): string {
  const { median, min, max } = r.analyzeRatios;
  return [
    `requireApproval vs the bare inner policy (${r.resources} resources, ${r.violating} violating and approved, ${r.runs} runs)`,
    formatBench(r, r.resources),
    `analyze ratio wrapped ÷ bare: median ${median.toFixed(3)}, min ${min.toFixed(3)}, max ${max.toFixed(3)}`,
    `violations reported in the last run: wrapped ${r.diagnostics.pack}, bare ${r.diagnostics.baseline}`,
  ].join('\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const { values } = parseArgs({
    options: {
      resources: { type: 'string', default: '5000' },
      runs: { type: 'string', default: '5' },
    },
  });
  await runRequireApprovalBench({ resources: Number(values.resources), runs: Number(values.runs) });
}
