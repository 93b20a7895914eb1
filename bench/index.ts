/**
 * `npm run bench`: the service benchmark, the policy pack's when it is present, the real-CLI
 * one when the CLI is built, then the standing tests' long variants: crash safety, HTTP
 * fuzzing and load. Prints a readable table each and writes bench/results.json, with the
 * Markdown tables of bench/results.md and the SVG chart bench/scaling.svg that the README shows.
 *
 * `tsx bench/index.ts crash fuzz` runs only the benches named (service, storage, scale, conditions, pack,
 * require-approval, real-cli, crash, fuzz, load) and updates only their figures in bench/results.json.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { realCliDir } from '../test/real-pulumi/real-cli.js';
import { formatConditionsBench, runConditionsBench } from './conditions-bench.js';
import { formatCrashBench, runCrashBench } from './crash-bench.js';
import { formatFuzzBench, runFuzzBench } from './fuzz-bench.js';
import { formatLoadBench, runLoadBench } from './load-bench.js';
import { formatRealCliBench, runRealCliBench } from './real-cli-bench.js';
import { formatFirstUseBench, runFirstUseBench } from './pack-gate-bench.js';
import { writeReport, type ReportInput } from './report.js';
import { runRequireApprovalBench } from './require-approval-bench.js';
import { formatServiceBench, runServiceBench } from './service-bench.js';
import { formatStorageBench, runStorageBench } from './storage-bench.js';
import { formatStoreScaleBench, runStoreScaleBench } from './store-scale-bench.js';
import { postgresBinDir } from '../approval-service/src/testing/postgres-server.js';

interface PackBenchModule {
  runPackBench?: () => Promise<unknown>;
}

const log = (line: string): void => void process.stderr.write(`${line}\n`);
const print = (title: string, table: string): void =>
  void process.stdout.write(`\n${title}\n${table}\n`);

async function runPack(): Promise<unknown> {
  const specifier = './pack-gate-bench.js';
  let mod: PackBenchModule;
  try {
    mod = (await import(specifier)) as PackBenchModule;
  } catch (err) {
    if ((err as { code?: unknown }).code !== 'ERR_MODULE_NOT_FOUND') throw err;
    log('\npack benchmark: skipped (bench/pack-gate-bench.ts is not there)');
    return { skipped: 'bench/pack-gate-bench.ts is not there' };
  }
  if (typeof mod.runPackBench !== 'function') {
    log('\npack benchmark: skipped (bench/pack-gate-bench.ts does not export runPackBench)');
    return { skipped: 'bench/pack-gate-bench.ts does not export runPackBench' };
  }
  log('\npack benchmark…');
  return mod.runPackBench();
}

/** Each bench by the name its figures have in bench/results.json, in the order they run. */
const benches: Record<string, () => Promise<unknown>> = {
  service: async () => {
    const result = await runServiceBench({ log });
    print(
      'Approval service, interleaved pairs beside a bare Hono handler doing the same I/O ("vs bare" = service req/s ÷ bare req/s per pair: median (min–max))',
      formatServiceBench(result),
    );
    return result;
  },
  storage: async () => {
    if (postgresBinDir() === undefined) {
      log("\nstorage benchmark: skipped (Debian's postgresql package is not installed)");
      return { skipped: 'PostgreSQL is not installed' };
    }
    log('\nstorage: lowdb beside PostgreSQL and two PostgreSQL replicas behind a round-robin…');
    const result = await runStorageBench({ log });
    print(
      'Storage (higher req/s is better; same seeded approvals on each)',
      formatStorageBench(result),
    );
    return result;
  },
  scale: async () => {
    log(
      '\nstore scale: start-up, RSS and request + 2 approvals at 0, 50,000 and 500,000 requests…',
    );
    const result = await runStoreScaleBench({ log });
    print(
      `Embedded store at scale (median (min–max) of ${result.rounds} interleaved starts; aim at 500,000: start < 3 s, RSS < 250 MiB, flows ≥ 0.9× empty)`,
      formatStoreScaleBench(result),
    );
    return result;
  },
  conditions: async () => {
    log('\nstatus conditions: the approvals call with 0, 10 and 100 deploy-time conditions…');
    const result = await runConditionsBench({ log });
    print('Status conditions at deploy time (lower × is better)', formatConditionsBench(result));
    return result;
  },
  pack: runPack,
  firstUse: async () => {
    log(
      '\nfirst use: every Analyze through the first sensitive one, with 10, 1,000 and 10,000 approvals held…',
    );
    const result = await runFirstUseBench({ log });
    print('First use over the no-op pack (lower is better)', formatFirstUseBench(result));
    return result;
  },
  requireApproval: async () => {
    log('\nrequireApproval benchmark (wrapped vs bare inner policy, 5,000 resources)…');
    return runRequireApprovalBench({ log });
  },
  realCli: async () => {
    if (realCliDir() === undefined) {
      log('\nreal-CLI benchmark: skipped (run `npm run pulumi:cli` first)');
      return { skipped: 'the real Pulumi CLI is not built' };
    }
    log('\nreal-CLI benchmark (pulumi preview, stand-in AWS provider)…');
    const result = await runRealCliBench({ log });
    process.stdout.write(`\n${formatRealCliBench(result)}\n`);
    return result;
  },
  crash: async () => {
    log('\ncrash safety: 50 rounds of 200 concurrent writes, each ended by a SIGKILL…');
    const result = await runCrashBench({ log });
    print('Crash safety (writes lost must be 0)', formatCrashBench(result));
    return result;
  },
  fuzz: async () => {
    log('\nHTTP fuzzing: 20,000 odd inputs to every route…');
    const result = await runFuzzBench({ log });
    print('HTTP fuzzing (5xx and "refused yet written" must be 0)', formatFuzzBench(result));
    return result;
  },
  load: async () => {
    log('\nload: 60 s of mixed traffic at 100 connections…');
    const result = await runLoadBench({ log });
    print('Load (errors and writes lost must be 0)', formatLoadBench(result));
    return result;
  },
};

const aliases: Record<string, string> = {
  'real-cli': 'realCli',
  'first-use': 'firstUse',
  'require-approval': 'requireApproval',
};
const asked = process.argv.slice(2).map((name) => aliases[name] ?? name);
const unknown = asked.filter((name) => !(name in benches));
if (unknown.length > 0) {
  log(
    `unknown bench ${unknown.join(', ')}; there are: ${Object.keys(benches)
      .map((name) => Object.keys(aliases).find((alias) => aliases[alias] === name) ?? name)
      .join(', ')}`,
  );
  process.exit(2);
}
const out = fileURLToPath(new URL('./results.json', import.meta.url));
const previous: Record<string, unknown> =
  asked.length === 0
    ? {}
    : ((await readFile(out, 'utf8').then(
        (text) => JSON.parse(text) as Record<string, unknown>,
        () => ({}),
      )) as Record<string, unknown>);
const started = performance.now();
const figures: Record<string, unknown> = {};
for (const [name, run] of Object.entries(benches)) {
  if (asked.length === 0 || asked.includes(name)) figures[name] = await run();
}
const totalSeconds = (performance.now() - started) / 1000;
const results = { ...previous, date: new Date().toISOString(), totalSeconds, ...figures };
await writeFile(out, `${JSON.stringify(results, null, 2)}\n`);
await writeReport(results as ReportInput, new URL('./', import.meta.url));
log(`\nwrote ${out} (${totalSeconds.toFixed(0)} s in all)`);
