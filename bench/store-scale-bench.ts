import { spawn } from 'node:child_process';
import { mkdir, readFile, rm, writeFile, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { hashPassword } from '@clearance/approval-service';
import { ConsoleSession } from '../test/e2e/console-session.js';
import { seedScaledStore } from './scale-seed.js';
import { conditionFlags } from './server-child.js';
import { benchConfigYaml } from './service-bench-fixture.js';
import { flowOptions, formatSpread, spread, type Spread } from './service-bench.js';
import { formatTable } from './table.js';

export interface ScaleStart {
  /** From spawning `clearance serve` to the first 200 from `/healthz` (ms). */
  startMs: number;
  /** Resident memory once `/healthz` answers (MiB). */
  rssMiB: number;
  /** Request + 2 approvals per second, 4 connections. */
  flowsPerSecond: number;
  /** Each console page's median answer time over `PAGE_LOADS` loads, signed in (ms). */
  pagesMs: Record<ConsolePage, number>;
}

/** The console pages timed: pending, the newest history page, and one deep in it. */
export const CONSOLE_PAGES = {
  pending: '/',
  history: '/history',
  'history, middle page': '/history?from=MIDDLE',
} as const;
export type ConsolePage = keyof typeof CONSOLE_PAGES;
export const PAGE_LOADS = 21;
const BENCH_PASSWORD = 'scale-bench-password';

export interface ScaleRow {
  requests: number;
  /** Each round's figures, or why the service did not start (its last line of output). */
  runs: ScaleStart[];
  failed?: string;
  startMs?: Spread;
  rssMiB?: Spread;
  flowsPerSecond?: Spread;
  /** Flows/s ÷ the empty store's, pair by pair (same round). */
  flowsVsEmpty?: Spread;
  pagesMs?: Record<ConsolePage, Spread>;
}

export interface ScaleBenchResult {
  rounds: number;
  seedMs: Record<string, number>;
  rows: ScaleRow[];
  aims: {
    startMs: number;
    rssMiB: number;
    flowsVsEmpty: number;
    atRequests: number;
    /** Every console page's median at `atRequests`. */
    pageMs: number;
  };
}

export interface ScaleBenchOptions {
  sizes?: number[];
  rounds?: number;
  /** Length of each flow measurement; `flowAmount` instead sends that many flows (the tests). */
  flowSeconds?: number;
  flowAmount?: number;
  log?: (line: string) => void;
}

const cliScript = (source: boolean) =>
  fileURLToPath(
    new URL(
      source ? '../approval-service/src/cli/main.ts' : '../approval-service/dist/cli/main.js',
      import.meta.url,
    ),
  );

async function rssMiB(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
  return kb / 1024;
}

/**
 * Starts `clearance serve` on `dataDir` as a user would (the build; from source under the
 * tests' `source` condition), and times it until `/healthz` answers 200.
 */
async function startService(
  dataDir: string,
  configPath: string,
): Promise<{ url: string; startMs: number; pid: number; stop: () => Promise<void> } | string> {
  const conditions = conditionFlags();
  const source = conditions.some((c) => c.endsWith('=source'));
  const began = performance.now();
  const child = spawn(
    process.execPath,
    [
      ...conditions,
      ...(source ? ['--import', 'tsx'] : []),
      cliScript(source),
      'serve',
      '--config',
      configPath,
      '--data-dir',
      dataDir,
      '--port',
      '0',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );
  const stop = async () => {
    child.kill('SIGINT');
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    await exited;
    clearTimeout(timer);
  };
  let output = '';
  const url = await new Promise<string | undefined>((resolve) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const found = /listening on (http:\/\/\S+)/.exec(output);
      if (found) resolve(found[1]);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    void exited.then(() => resolve(undefined));
  });
  if (!url) {
    const lines = output.trim().split('\n');
    return lines.at(-1) ?? 'exited without a word';
  }
  for (;;) {
    const res = await fetch(`${url}/healthz`).catch(() => undefined);
    await res?.arrayBuffer();
    if (res?.status === 200) break;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return { url, startMs: performance.now() - began, pid: child.pid!, stop };
}

/**
 * Signs in to the console as alice and loads each page `PAGE_LOADS` times in turn, one at a
 * time; each page's median (ms). The middle history page starts halfway through the requests.
 */
async function measurePages(url: string, stored: number): Promise<Record<ConsolePage, number>> {
  const session = new ConsoleSession(url);
  await session.signIn('alice', BENCH_PASSWORD);
  const times = Object.fromEntries(
    Object.keys(CONSOLE_PAGES).map((page) => [page, [] as number[]]),
  ) as Record<ConsolePage, number[]>;
  for (let load = 0; load < PAGE_LOADS; load++) {
    for (const [page, path] of Object.entries(CONSOLE_PAGES) as [ConsolePage, string][]) {
      const began = performance.now();
      const { status } = await session.get(path.replace('MIDDLE', String(Math.floor(stored / 2))));
      if (status !== 200) throw new Error(`${path} answered ${status}`);
      times[page].push(performance.now() - began);
    }
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1]!;
  return Object.fromEntries(
    Object.entries(times).map(([page, values]) => [page, median(values)]),
  ) as Record<ConsolePage, number>;
}

async function measureFlows(url: string, options: ScaleBenchOptions): Promise<number> {
  let flows = 0;
  // A second's warm-up first, as in the other benches: the figure is the service's pace, not its JIT's.
  if (options.flowAmount === undefined)
    await autocannon({ ...flowOptions(url, 4, () => {}), duration: 1 });
  const result = await autocannon({
    ...flowOptions(url, 4, () => (flows += 1)),
    timeout: 60,
    ...(options.flowAmount === undefined
      ? { duration: options.flowSeconds ?? 3 }
      : { amount: options.flowAmount * 3 }),
  });
  return flows / result.duration;
}

/**
 * The embedded store at scale: data directories seeded with 0, 50,000 and 500,000 requests and
 * their audit trail (`seedScaledStore`), each started as `clearance serve` in its own process,
 * round after round with the sizes interleaved: the time to a healthy `/healthz`, the RSS
 * then, and request + 2 approvals per second beside the empty store's of the same round.
 */
export async function runStoreScaleBench(
  options: ScaleBenchOptions = {},
): Promise<ScaleBenchResult> {
  const sizes = options.sizes ?? [0, 50_000, 500_000];
  const rounds = options.rounds ?? 3;
  const log = options.log ?? (() => undefined);
  const root = await mkdtemp(join(tmpdir(), 'clearance-scale-'));
  try {
    const configPath = join(root, 'config.yaml');
    await writeFile(configPath, benchConfigYaml(await hashPassword(BENCH_PASSWORD)));
    const seedMs: Record<string, number> = {};
    for (const size of sizes) {
      log(`scale: seeding ${size.toLocaleString('en-US')} requests…`);
      const began = performance.now();
      await mkdir(join(root, `store-${size}`));
      if (size > 0) await seedScaledStore(join(root, `store-${size}`), configPath, size);
      seedMs[String(size)] = Math.round(performance.now() - began);
    }
    const rows: ScaleRow[] = sizes.map((requests) => ({ requests, runs: [] }));
    for (let round = 0; round < rounds; round++) {
      for (const row of rows) {
        if (row.failed) continue;
        log(
          `scale: round ${round + 1} of ${rounds}, ${row.requests.toLocaleString('en-US')} requests`,
        );
        const started = await startService(join(root, `store-${row.requests}`), configPath);
        if (typeof started === 'string') {
          row.failed = started;
          continue;
        }
        try {
          const rss = await rssMiB(started.pid);
          const flowsPerSecond = await measureFlows(started.url, options);
          const pagesMs = await measurePages(started.url, row.requests);
          row.runs.push({ startMs: started.startMs, rssMiB: rss, flowsPerSecond, pagesMs });
        } finally {
          await started.stop();
        }
      }
    }
    const empty = rows.find((r) => r.requests === 0);
    for (const row of rows) {
      if (row.runs.length === 0) continue;
      row.startMs = spread(row.runs.map((r) => r.startMs));
      row.rssMiB = spread(row.runs.map((r) => r.rssMiB));
      row.flowsPerSecond = spread(row.runs.map((r) => r.flowsPerSecond));
      row.pagesMs = Object.fromEntries(
        Object.keys(CONSOLE_PAGES).map((page) => [
          page,
          spread(row.runs.map((r) => r.pagesMs[page as ConsolePage])),
        ]),
      ) as Record<ConsolePage, Spread>;
      if (empty && empty.runs.length === row.runs.length) {
        row.flowsVsEmpty = spread(
          row.runs.map((r, i) => r.flowsPerSecond / empty.runs[i]!.flowsPerSecond),
        );
      }
    }
    return {
      rounds,
      seedMs,
      rows,
      aims: { startMs: 3000, rssMiB: 250, flowsVsEmpty: 0.9, atRequests: 500_000, pageMs: 50 },
    };
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

const range = (s: Spread | undefined, digits: number) => (s ? formatSpread(s, digits) : '');

/** The results as an aligned text table. */
export function formatStoreScaleBench(result: ScaleBenchResult): string {
  return formatTable([
    [
      'requests stored',
      'start to /healthz ms',
      'RSS MiB',
      'flows/s',
      '÷ empty store',
      ...Object.keys(CONSOLE_PAGES).map((page) => `${page} p50 ms`),
      'note',
    ],
    ...result.rows.map((row) => [
      row.requests.toLocaleString('en-US'),
      range(row.startMs, 0),
      range(row.rssMiB, 0),
      range(row.flowsPerSecond, 1),
      range(row.flowsVsEmpty, 2),
      ...Object.keys(CONSOLE_PAGES).map((page) => range(row.pagesMs?.[page as ConsolePage], 1)),
      row.failed ? `did not start: ${row.failed}` : '',
    ]),
  ]);
}
