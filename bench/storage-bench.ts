import { cpus } from 'node:os';
import { startServerChild, type ServerChild } from './server-child.js';
import autocannon, { type Options, type Result } from 'autocannon';
import type { CheckItem } from '@clearance/client';
import { benchStack, benchTokens } from './service-bench-fixture.js';
import { flowOptions } from './service-bench.js';
import { formatTable } from './table.js';

/** What the child reports once listening. */
export interface StorageBenchServers {
  lowdbUrl: string;
  /** One replica on PostgreSQL. */
  postgresUrl: string;
  /** A round-robin proxy over two replicas on the same database. */
  replicasUrl: string;
  items: CheckItem[];
}

export interface StorageMeasure {
  store: string;
  scenario: string;
  connections: number;
  requestsPerSecond: number;
  /** Checks: items answered per second; the flow: request + 2 approvals per second. */
  unitsPerSecond: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  requests: number;
  failed: number;
}

export interface StorageBenchResult {
  environment: { node: string; platform: string; cpus: number };
  seededRequests: number;
  measures: StorageMeasure[];
}

export interface StorageBenchOptions {
  /** Length of each measurement (after a 1 s warm-up). */
  seconds?: number;
  /** Instead of timing, send this many requests per measurement (the tests' short run). */
  amount?: number;
  seed?: number;
  connections?: number;
  log?: (line: string) => void;
}

function startServers(seed: number): Promise<ServerChild<StorageBenchServers>> {
  return startServerChild<StorageBenchServers>(
    new URL('./storage-bench-server.ts', import.meta.url),
    seed,
    {
      // Workspace packages from their source, as in the tests: no build needed.
      conditions: ['--conditions=source'],
      killAfterMs: 20_000,
    },
  );
}

/**
 * Request-and-approve throughput and `POST /v1/checks` with 1, 100 and 5,000 items, on the
 * embedded store, on PostgreSQL, and on two PostgreSQL replicas behind a round-robin proxy,
 * in one run over the same seeded approvals.
 */
export async function runStorageBench(
  options: StorageBenchOptions = {},
): Promise<StorageBenchResult> {
  const seconds = options.seconds ?? 5;
  const connections = options.connections ?? 10;
  const log = options.log ?? (() => undefined);
  const { servers, stop } = await startServers(options.seed ?? 5000);
  const run = async (opts: Options): Promise<Result> => {
    if (options.amount !== undefined) return autocannon({ ...opts, amount: options.amount });
    await autocannon({ ...opts, duration: 1 });
    return autocannon({ ...opts, duration: seconds });
  };
  const measures: StorageMeasure[] = [];
  const record = (store: string, scenario: string, conns: number, result: Result, units: number) =>
    measures.push({
      store,
      scenario,
      connections: conns,
      requestsPerSecond: result.requests.total / result.duration,
      unitsPerSecond: units / result.duration,
      latencyP50Ms: result.latency.p50,
      latencyP99Ms: result.latency.p99,
      requests: result.requests.total,
      failed: result.non2xx + result.errors,
    });
  try {
    const targets = [
      ['lowdb', servers.lowdbUrl],
      ['PostgreSQL', servers.postgresUrl],
      ['PostgreSQL, 2 replicas', servers.replicasUrl],
    ] as const;
    for (const [store, url] of targets) {
      for (const count of [1, 100, 5000].filter((c) => c <= servers.items.length)) {
        const scenario = `POST /v1/checks, ${count.toLocaleString('en-US')} item${count === 1 ? '' : 's'}`;
        log(`${store}: ${scenario}`);
        const conns = count > 1000 ? 2 : connections;
        const body = JSON.stringify({ stack: benchStack, items: servers.items.slice(0, count) });
        const result = await run({
          url: `${url}/v1/checks`,
          connections: conns,
          timeout: 60,
          method: 'POST',
          headers: {
            authorization: `Bearer ${benchTokens.carol}`,
            'content-type': 'application/json',
          },
          body,
        });
        record(store, scenario, conns, result, result.requests.total * count);
      }
      log(`${store}: request + 2 approvals`);
      let flows = 0;
      const conns = Math.min(connections, 4);
      const flow = flowOptions(url, conns, () => (flows += 1));
      if (options.amount === undefined)
        await autocannon({ ...flowOptions(url, conns, () => {}), duration: 1, timeout: 60 });
      const result = await autocannon({
        ...flow,
        timeout: 60,
        ...(options.amount === undefined ? { duration: seconds } : { amount: options.amount * 3 }),
      });
      record(store, 'request + 2 approvals', conns, result, flows);
    }
    return {
      environment: { node: process.version, platform: process.platform, cpus: cpus().length },
      seededRequests: servers.items.length,
      measures,
    };
  } finally {
    await stop();
  }
}

const fixed = (n: number, digits = 1) =>
  n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

/** The results as an aligned text table. */
export function formatStorageBench(result: StorageBenchResult): string {
  return formatTable([
    ['store', 'scenario', 'conns', 'req/s', 'items or flows/s', 'p50 ms', 'p99 ms', 'failed'],
    ...result.measures.map((m) => [
      m.store,
      m.scenario,
      String(m.connections),
      fixed(m.requestsPerSecond),
      fixed(m.unitsPerSecond, m.scenario.startsWith('POST') ? 0 : 1),
      fixed(m.latencyP50Ms),
      fixed(m.latencyP99Ms),
      String(m.failed),
    ]),
  ]);
}
