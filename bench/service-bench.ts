import { cpus, loadavg } from 'node:os';
import { setTimeout as delay } from 'node:timers/promises';
import { conditionFlags, startServerChild, type ServerChild } from './server-child.js';
import autocannon, { type Context, type Options, type RequestSpec, type Result } from 'autocannon';
import { median } from './pack-bench.js';
import {
  benchStack,
  benchTokens,
  flowRequestBody,
  type BenchServers,
} from './service-bench-fixture.js';
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

export interface Spread {
  median: number;
  min: number;
  max: number;
}

/**
 * One scenario, measured in interleaved pairs: the service, then the bare baseline doing the
 * same I/O (or the other way round, every other pair), each pair's ratio service ÷ bare.
 */
export interface Scenario {
  name: string;
  connections: number;
  pairs: number;
  /** Requests per second of the service and of the bare baseline, over the pairs. */
  service: Spread;
  bare: Spread;
  /** Per pair: the service's req/s ÷ the bare baseline's. */
  ratio: Spread;
  /** The aim on the median ratio, where the issue sets one. */
  aim?: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  /** Non-2xx answers and errors of the service, over all pairs. */
  failed: number;
  /** For checks: items answered per second (median). */
  itemsPerSecond?: number;
  /** For the request+approve flow: complete flows (1 request, 2 approvals) per second (median). */
  flowsPerSecond?: number;
  /** Every pair's measures, in run order. */
  runs: { service: Measure; bare: Measure }[];
}

export interface ServiceBenchResult {
  environment: { node: string; platform: string; cpus: number; loadAverage: number[] };
  seed: { approvedRequests: number; seconds: number };
  scenarios: Scenario[];
}

export interface ServiceBenchOptions {
  /** Length of each measurement (after a 1 s warm-up per scenario and side). */
  seconds?: number;
  /** Interleaved pairs per scenario (at least 5 for the figures). */
  pairs?: number;
  connections?: number;
  /** Approved requests seeded into the store the checks read. */
  seed?: number;
  /** Only the scenarios whose name contains this. */
  only?: string;
  log?: (line: string) => void;
}

/** The aim the issue sets on `POST /v1/checks`: at least 0.8× the bare baseline. */
export const CHECKS_AIM = 0.8;

/** The aim on request + 2 approvals: at least 0.6× the bare fsync'd append, at each count. */
export const FLOW_AIM = 0.6;

/** Connections the request+approve flows are measured at. */
export const FLOW_CONNECTIONS = [4, 32] as const;

function headers(token: string): Record<string, string> {
  return { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
}

function toMeasure(name: string, result: Result, connections: number): Measure {
  return {
    name,
    requestsPerSecond: result.requests.total / result.duration,
    latencyP50Ms: result.latency.p50,
    latencyP99Ms: result.latency.p99,
    requests: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors,
    seconds: result.duration,
    connections,
  };
}

/** Numbers the flows' resources across runs, so that no run asks for a state already asked. */
let flowsStarted = 0;

/** One request+approve flow per iteration: carol asks, alice and bob approve. */
export function flowOptions(url: string, connections: number, onFlow: () => void): Options {
  const approve = JSON.stringify({ decision: 'approve', reason: 'bench' });
  return {
    url,
    connections,
    requests: [
      {
        method: 'POST',
        path: '/v1/requests',
        setupRequest: (request) => {
          flowsStarted += 1;
          return {
            ...request,
            headers: headers(benchTokens.carol),
            body: JSON.stringify(flowRequestBody(flowsStarted)),
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

function startServers(seed: number): Promise<ServerChild<BenchServers>> {
  return startServerChild<BenchServers>(
    new URL('./service-bench-server.ts', import.meta.url),
    seed,
    {
      // The parent's conditions: from source when it runs from source, else the build.
      conditions: conditionFlags(),
      killAfterMs: 10_000,
    },
  );
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

export function spread(values: number[]): Spread {
  return { median: median(values), min: Math.min(...values), max: Math.max(...values) };
}

/** What one side of a scenario runs: autocannon options for a base URL, and what it counted. */
interface Side {
  options(url: string): Options;
  /** Flows counted since the last call (flow scenarios only). */
  takeFlows?(): number;
}

interface ScenarioPlan {
  name: string;
  connections: number;
  serviceUrl: string;
  side: () => Side;
  items?: number;
  flows?: boolean;
  aim?: number;
}

async function runScenario(
  plan: ScenarioPlan,
  bareUrl: string,
  seconds: number,
  pairs: number,
): Promise<Scenario> {
  const side = plan.side();
  const urls = { service: plan.serviceUrl, bare: bareUrl };
  const one = async (
    which: 'service' | 'bare',
    duration: number,
  ): Promise<Measure & { flows: number }> => {
    await settle(urls[which]);
    side.takeFlows?.();
    const result = await autocannon({ ...side.options(urls[which]), duration, timeout: 60 });
    const flows = side.takeFlows?.() ?? 0;
    return { ...toMeasure(`${plan.name} (${which})`, result, plan.connections), flows };
  };
  await one('service', 1);
  await one('bare', 1);
  const runs: { service: Measure & { flows: number }; bare: Measure & { flows: number } }[] = [];
  for (let pair = 0; pair < pairs; pair++) {
    const order = pair % 2 === 0 ? (['service', 'bare'] as const) : (['bare', 'service'] as const);
    const measured: Partial<Record<'service' | 'bare', Measure & { flows: number }>> = {};
    for (const which of order) measured[which] = await one(which, seconds);
    runs.push({ service: measured.service!, bare: measured.bare! });
  }
  const rps = (which: 'service' | 'bare') => runs.map((r) => r[which].requestsPerSecond);
  const serviceRps = spread(rps('service'));
  return {
    name: plan.name,
    connections: plan.connections,
    pairs,
    service: serviceRps,
    bare: spread(rps('bare')),
    ratio: spread(runs.map((r) => r.service.requestsPerSecond / r.bare.requestsPerSecond)),
    ...(plan.aim === undefined ? {} : { aim: plan.aim }),
    latencyP50Ms: median(runs.map((r) => r.service.latencyP50Ms)),
    latencyP99Ms: median(runs.map((r) => r.service.latencyP99Ms)),
    failed: runs.reduce((n, r) => n + r.service.non2xx + r.service.errors, 0),
    ...(plan.items === undefined ? {} : { itemsPerSecond: serviceRps.median * plan.items }),
    ...(plan.flows
      ? { flowsPerSecond: median(runs.map((r) => r.service.flows / r.service.seconds)) }
      : {}),
    runs: runs.map(({ service, bare }) => ({
      service: withoutFlows(service),
      bare: withoutFlows(bare),
    })),
  };
}

function withoutFlows({ flows: _flows, ...measure }: Measure & { flows: number }): Measure {
  return measure;
}

/**
 * Measures the approval service over loopback with autocannon, each scenario in interleaved
 * pairs beside the bare baseline doing the same I/O (bare-server.ts): `POST /v1/checks` with 1,
 * 100 and 5,000 items that hit seeded approvals, and request+approve flows on an empty and on
 * the seeded store at 4 and at 32 connections (the bare baseline: one fsync'd append per write).
 */
export async function runServiceBench(
  options: ServiceBenchOptions = {},
): Promise<ServiceBenchResult> {
  const seconds = options.seconds ?? 3;
  const pairs = options.pairs ?? 5;
  const connections = options.connections ?? 10;
  const seedCount = options.seed ?? 5000;
  const log = options.log ?? (() => undefined);
  log(`seeding ${seedCount} approved requests and starting the servers…`);
  const { servers, stop } = await startServers(seedCount);
  try {
    log(`measuring ${pairs} interleaved pairs per scenario (${seconds} s each)…`);
    const plans: ScenarioPlan[] = [];
    for (const count of [1, 100, 5000].filter((c) => c <= servers.items.length)) {
      const body = JSON.stringify({ stack: benchStack, items: servers.items.slice(0, count) });
      plans.push({
        name: `POST /v1/checks, ${count.toLocaleString('en-US')} item${count === 1 ? '' : 's'}`,
        // Big answers (about 1 KB per item) are measured with fewer connections, so runs do not queue for seconds.
        connections: count > 1000 ? 2 : connections,
        serviceUrl: servers.seededUrl,
        items: count,
        aim: CHECKS_AIM,
        side: () => ({
          options: (url) => ({
            url: `${url}/v1/checks`,
            connections: count > 1000 ? 2 : connections,
            method: 'POST',
            headers: headers(benchTokens.carol),
            body,
          }),
        }),
      });
    }
    const stores = [
      ['empty store', servers.emptyUrl],
      [`${servers.items.length.toLocaleString('en-US')} requests stored`, servers.seededUrl],
    ] as const;
    for (const [flowConnections, [label, url]] of FLOW_CONNECTIONS.flatMap((n) =>
      stores.map((store) => [n, store] as const),
    )) {
      plans.push({
        name: `request + 2 approvals (${label}, ${flowConnections} connections)`,
        connections: flowConnections,
        serviceUrl: url,
        flows: true,
        aim: FLOW_AIM,
        side: () => {
          let flows = 0;
          return {
            options: (base) => flowOptions(base, flowConnections, () => (flows += 1)),
            takeFlows: () => {
              const n = flows;
              flows = 0;
              return n;
            },
          };
        },
      });
    }
    const scenarios: Scenario[] = [];
    for (const plan of plans.filter((p) => !options.only || p.name.includes(options.only))) {
      log(plan.name);
      scenarios.push(await runScenario(plan, servers.bareUrl, seconds, pairs));
    }
    return {
      environment: {
        node: process.version,
        platform: process.platform,
        cpus: cpus().length,
        loadAverage: loadavg(),
      },
      seed: { approvedRequests: servers.items.length, seconds: servers.seedMs / 1000 },
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

/** A spread as "median (min–max)". */
export function formatSpread(s: Spread, digits: number): string {
  return `${fixed(s.median, digits)} (${fixed(s.min, digits)}–${fixed(s.max, digits)})`;
}

/** The results as an aligned text table: each scenario beside its bare baseline. */
export function formatServiceBench(result: ServiceBenchResult): string {
  const rows = [
    [
      'scenario',
      'conns',
      'req/s',
      'bare req/s',
      'vs bare',
      'aim',
      'items/s',
      'flows/s',
      'p50 ms',
      'failed',
    ],
    ...result.scenarios.map((s) => [
      s.name,
      String(s.connections),
      fixed(s.service.median),
      fixed(s.bare.median),
      formatSpread(s.ratio, 2),
      s.aim === undefined ? '' : `≥ ${s.aim}`,
      s.itemsPerSecond === undefined ? '' : fixed(s.itemsPerSecond, 0),
      s.flowsPerSecond === undefined ? '' : fixed(s.flowsPerSecond),
      fixed(s.latencyP50Ms),
      String(s.failed),
    ]),
  ];
  return formatTable(rows);
}
