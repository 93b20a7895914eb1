import { fork } from 'node:child_process';
import { cpus } from 'node:os';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import autocannon, { type Context, type Options, type RequestSpec, type Result } from 'autocannon';
import { requestFingerprint } from '@clearance/client';
import { benchStack, benchTokens, type BenchServers } from './service-bench-fixture.js';
import { formatTable } from './table.js';

export interface Measure {
  name: string;
  requestsPerSecond: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  requests: number;
  non2xx: number;
  errors: number;
  seconds: number;
  connections: number;
}

export interface Scenario extends Measure {
  /** Requests per second against those of the bare Hono endpoint measured in the same run. */
  ratio: number;
  /** For checks: items answered per second. */
  itemsPerSecond?: number;
  /** For the request+approve flow: complete flows (1 request, 2 approvals) per second. */
  flowsPerSecond?: number;
}

export interface ServiceBenchResult {
  environment: { node: string; platform: string; cpus: number };
  seed: { approvedRequests: number; seconds: number };
  bare: Measure;
  scenarios: Scenario[];
}

export interface ServiceBenchOptions {
  /** Length of each measurement (after a 1 s warm-up). */
  seconds?: number;
  connections?: number;
  /** Approved requests seeded into the store the checks read. */
  seed?: number;
  log?: (line: string) => void;
}

function headers(token: string): Record<string, string> {
  return { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
}

function toMeasure(name: string, result: Result): Omit<Measure, 'connections'> {
  return {
    name,
    requestsPerSecond: result.requests.total / result.duration,
    latencyP50Ms: result.latency.p50,
    latencyP99Ms: result.latency.p99,
    requests: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors,
    seconds: result.duration,
  };
}

async function measure(name: string, options: Options, seconds: number): Promise<Measure> {
  await autocannon({ ...options, duration: 1 });
  await settle(new URL(options.url).origin);
  const result = await autocannon({ ...options, duration: seconds });
  return { ...toMeasure(name, result), connections: options.connections ?? 10 };
}

/** One request+approve flow per iteration: carol asks, alice and bob approve. */
export function flowOptions(url: string, connections: number, onFlow: () => void): Options {
  let n = 0;
  const approve = JSON.stringify({ decision: 'approve', reason: 'bench' });
  return {
    url,
    connections,
    requests: [
      {
        method: 'POST',
        path: '/v1/requests',
        setupRequest: (request) => {
          n += 1;
          const change = {
            stack: benchStack,
            urn: `urn:pulumi:bench::app::aws:ec2/securityGroup:SecurityGroup::flow-${n}`,
            type: 'aws:ec2/securityGroup:SecurityGroup',
            policy: 'bench-open-ingress',
            material: { cidr: '0.0.0.0/0', port: 22 },
          };
          return {
            ...request,
            headers: headers(benchTokens.carol),
            body: JSON.stringify({
              ...change,
              fingerprint: requestFingerprint(change),
              summary: 'open port 22',
              reason: 'benchmark',
            }),
          };
        },
        onResponse: (status, body, context) => {
          if (status === 201) context.id = (JSON.parse(body) as { id: string }).id;
        },
      },
      ...[benchTokens.alice, benchTokens.bob].map((token, i) => ({
        method: 'POST',
        setupRequest: (request: RequestSpec, context: Context) =>
          typeof context.id === 'string'
            ? {
                ...request,
                path: `/v1/requests/${context.id}/reviews`,
                headers: headers(token),
                body: approve,
              }
            : undefined,
        onResponse:
          i === 1
            ? (status: number, body: string) => {
                if (
                  status === 200 &&
                  (JSON.parse(body) as { status: string }).status === 'approved'
                )
                  onFlow();
              }
            : undefined,
      })),
    ],
  };
}

function startServers(seed: number): Promise<{ servers: BenchServers; stop(): Promise<void> }> {
  const child = fork(fileURLToPath(new URL('./service-bench-server.ts', import.meta.url)), [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, BENCH_SEED: String(seed) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async (): Promise<void> => {
    if (child.connected) child.send('stop');
    const timer = setTimeout(() => child.kill(), 10_000);
    await exited;
    clearTimeout(timer);
  };
  return new Promise((resolve, reject) => {
    child.once('exit', (code) =>
      reject(new Error(`the bench servers exited early (code ${code})`)),
    );
    child.on('message', (message: { type: string; servers?: BenchServers; message?: string }) => {
      if (message.type === 'ready' && message.servers) resolve({ servers: message.servers, stop });
      if (message.type === 'error')
        reject(new Error(`the bench servers failed: ${message.message}`));
    });
  });
}

/** Waits until the server answers at once again: work queued by the last run has drained. */
async function settle(url: string): Promise<void> {
  for (let i = 0; i < 120; i++) {
    const started = performance.now();
    await fetch(`${url}/healthz`).then((r) => r.arrayBuffer());
    if (performance.now() - started < 20) return;
    await delay(250);
  }
}

/**
 * Measures the approval service over loopback with autocannon, beside a bare Hono endpoint
 * served by the same kind of process: `POST /v1/checks` with 1, 100 and 5,000 items that hit
 * seeded approvals, and request+approve flows on an empty and on the seeded store.
 */
export async function runServiceBench(
  options: ServiceBenchOptions = {},
): Promise<ServiceBenchResult> {
  const seconds = options.seconds ?? 5;
  const connections = options.connections ?? 10;
  const seedCount = options.seed ?? 5000;
  const log = options.log ?? (() => undefined);
  log(`seeding ${seedCount} approved requests and starting the servers…`);
  const { servers, stop } = await startServers(seedCount);
  try {
    log(`measuring (${seconds} s each after a 1 s warm-up)…`);
    const bare = await measure(
      'bare Hono GET /bare',
      { url: `${servers.bareUrl}/bare`, connections },
      seconds,
    );
    const scenarios: Scenario[] = [];
    const ratio = (rps: number): number => rps / bare.requestsPerSecond;
    for (const count of [1, 100, 5000].filter((c) => c <= servers.items.length)) {
      const body = JSON.stringify({ stack: benchStack, items: servers.items.slice(0, count) });
      const name = `POST /v1/checks, ${count.toLocaleString('en-US')} item${count === 1 ? '' : 's'}`;
      log(name);
      await settle(servers.seededUrl);
      // Big answers (about 1 KB per item) are measured with fewer connections, so runs do not queue for seconds.
      const m = await measure(
        name,
        {
          url: `${servers.seededUrl}/v1/checks`,
          connections: count > 1000 ? 2 : connections,
          timeout: 60,
          method: 'POST',
          headers: headers(benchTokens.carol),
          body,
        },
        seconds,
      );
      scenarios.push({
        ...m,
        ratio: ratio(m.requestsPerSecond),
        itemsPerSecond: m.requestsPerSecond * count,
      });
    }
    for (const [label, url] of [
      ['empty store', servers.emptyUrl],
      [`${servers.items.length.toLocaleString('en-US')} requests stored`, servers.seededUrl],
    ] as const) {
      const name = `request + 2 approvals (${label})`;
      log(name);
      await settle(url);
      let flows = 0;
      const flowConnections = Math.min(connections, 4);
      await autocannon({
        ...flowOptions(url, flowConnections, () => undefined),
        duration: 1,
        timeout: 60,
      });
      await settle(url);
      const result = await autocannon({
        ...flowOptions(url, flowConnections, () => (flows += 1)),
        duration: seconds,
        timeout: 60,
      });
      const m = { ...toMeasure(name, result), connections: flowConnections };
      scenarios.push({
        ...m,
        ratio: ratio(m.requestsPerSecond),
        flowsPerSecond: flows / result.duration,
      });
    }
    return {
      environment: { node: process.version, platform: process.platform, cpus: cpus().length },
      seed: { approvedRequests: servers.items.length, seconds: servers.seedMs / 1000 },
      bare,
      scenarios,
    };
  } finally {
    await stop();
  }
}

function fixed(n: number, digits = 1): string {
  return n.toLocaleString('en-US', {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
}

/** The results as an aligned text table. */
export function formatServiceBench(result: ServiceBenchResult): string {
  const all: (Measure & Partial<Scenario>)[] = [{ ...result.bare, ratio: 1 }, ...result.scenarios];
  const rows = [
    ['scenario', 'conns', 'req/s', 'items/s', 'flows/s', 'p50 ms', 'p99 ms', 'vs bare', 'failed'],
    ...all.map((s) => [
      s.name,
      String(s.connections),
      fixed(s.requestsPerSecond),
      s.itemsPerSecond === undefined ? '' : fixed(s.itemsPerSecond, 0),
      s.flowsPerSecond === undefined ? '' : fixed(s.flowsPerSecond),
      fixed(s.latencyP50Ms),
      fixed(s.latencyP99Ms),
      (s.ratio ?? 1).toPrecision(3),
      String(s.non2xx + s.errors),
    ]),
  ];
  return formatTable(rows);
}
