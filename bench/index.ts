/**
 * `npm run bench`: the service benchmark, then the policy pack's when it is present.
 * Prints readable tables and writes bench/results.json.
 */
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { realCliDir } from '../test/real-pulumi/real-cli.js';
import { formatRealCliBench, runRealCliBench } from './real-cli-bench.js';
import { formatServiceBench, runServiceBench } from './service-bench.js';

interface PackBenchModule {
  runPackBench?: () => Promise<unknown>;
}

const log = (line: string): void => void process.stderr.write(`${line}\n`);

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

const started = performance.now();
const service = await runServiceBench({ log });
process.stdout.write(
  `\nApproval service (higher req/s is better; "vs bare" = service req/s ÷ bare Hono req/s)\n`,
);
process.stdout.write(`${formatServiceBench(service)}\n`);
const pack = await runPack();
let realCli: unknown;
if (realCliDir() === undefined) {
  log('\nreal-CLI benchmark: skipped (run `npm run pulumi:cli` first)');
  realCli = { skipped: 'the real Pulumi CLI is not built' };
} else {
  log('\nreal-CLI benchmark (pulumi preview, stand-in AWS provider)…');
  const result = await runRealCliBench({ log });
  process.stdout.write(`\n${formatRealCliBench(result)}\n`);
  realCli = result;
}
const results = {
  date: new Date().toISOString(),
  totalSeconds: (performance.now() - started) / 1000,
  service,
  pack,
  realCli,
};
const out = fileURLToPath(new URL('./results.json', import.meta.url));
await writeFile(out, `${JSON.stringify(results, null, 2)}\n`);
log(`\nwrote ${out} (${results.totalSeconds.toFixed(0)} s in all)`);
