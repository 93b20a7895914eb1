import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon, { type Context, type Options, type RequestSpec } from 'autocannon';
import { startServer, verifyAuditDir } from '@clearance/approval-service';
import { type CheckItem, requestFingerprint } from '@clearance/client';
import {
  workloadConfigYaml,
  workloadStack,
  workloadTokens,
} from '../test/durability/crash-workload.js';
import { spawnService } from '../test/durability/spawn-service.js';
import { WriteLedger } from '../test/durability/write-ledger.js';
import { fixed, formatTable } from './table.js';

export interface LoadBenchOptions {
  /** Length of the run (default 60 s). */
  seconds?: number;
  /** Connections kept busy at once (default 100). */
  connections?: number;
  /** Approved requests made before the run, for the checks to find (default 200). */
  approved?: number;
  log?: (line: string) => void;
}

export interface LoadBenchResult {
  seconds: number;
  connections: number;
  requests: number;
  requestsPerSecond: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  /** Connection errors (must be 0), timeouts among them. */
  errors: number;
  timeouts: number;
  /** Answers other than 2xx (must be 0: the traffic only asks what may be done). */
  non2xx: number;
  /** Calls of each kind answered 2xx. */
  checks: number;
  /** Writes acknowledged during the run (requests opened, reviews), and those missing afterwards. */
  acknowledged: number;
  writesLost: number;
  lost: string[];
  auditIntact: boolean;
  /** The service process's resident set size before and after the run (MB). */
  rssBeforeMb: number;
  rssAfterMb: number;
}

const headers = (token: string): Record<string, string> => ({
  authorization: `Bearer ${token}`,
  'content-type': 'application/json',
});

function changeFor(name: string) {
  const change = {
    stack: workloadStack,
    urn: `urn:pulumi:load::app::aws:ec2/securityGroup:SecurityGroup::${name}`,
    type: 'aws:ec2/securityGroup:SecurityGroup',
    policy: 'load-open-ingress',
    material: { ingress: [{ cidr: '0.0.0.0/0', port: 22 }], name },
  };
  return { ...change, fingerprint: requestFingerprint(change), summary: 'port 22', reason: 'load' };
}

/** Opens and approves `count` requests through the API (their items for the checks). */
async function approveSome(url: string, count: number): Promise<CheckItem[]> {
  const post = async (path: string, token: string, body: unknown) => {
    const res = await fetch(`${url}${path}`, {
      method: 'POST',
      headers: headers(token),
      body: JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`load bench: ${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as { id: string };
  };
  const items: CheckItem[] = [];
  for (let i = 0; i < count; i++) {
    const change = changeFor(`approved-${i}`);
    const { id } = await post('/v1/requests', workloadTokens.carol, change);
    for (const token of [workloadTokens.alice, workloadTokens.bob]) {
      await post(`/v1/requests/${id}/reviews`, token, { decision: 'approve', reason: 'load' });
    }
    items.push({ urn: change.urn, policy: change.policy, fingerprint: change.fingerprint });
  }
  return items;
}

/**
 * The mixed traffic of one connection, over and over: a check of 20 approved items, a new
 * request, a check, an approval, a check, and a second approval or a denial. Each
 * acknowledged write goes into `ledger`.
 */
export function mixedTraffic(
  url: string,
  connections: number,
  items: readonly CheckItem[],
  ledger: WriteLedger,
  counted: { checks: number },
): Options {
  let n = 0;
  const check: RequestSpec = {
    method: 'POST',
    path: '/v1/checks',
    setupRequest: (request) => {
      const from = (n * 7) % Math.max(1, items.length - 20);
      return {
        ...request,
        headers: headers(workloadTokens.carol),
        body: JSON.stringify({ stack: workloadStack, items: items.slice(from, from + 20) }),
      };
    },
    onResponse: (status) => {
      if (status === 200) counted.checks += 1;
    },
  };
  const review = (by: 'alice' | 'bob' | 'dave', decision: (n: number) => 'approve' | 'deny') =>
    ({
      method: 'POST',
      setupRequest: (request: RequestSpec, context: Context) => {
        if (typeof context.id !== 'string') return undefined;
        const d = decision(Number(context.n));
        context.decision = d;
        return {
          ...request,
          path: `/v1/requests/${context.id}/reviews`,
          headers: headers(workloadTokens[by]),
          body: JSON.stringify({ decision: d, reason: 'load' }),
        };
      },
      onResponse: (status: number, _body: string, context: Context) => {
        const { id, decision: d } = context;
        if (status === 200 && typeof id === 'string' && (d === 'approve' || d === 'deny')) {
          ledger.record({ kind: 'review', id, by, decision: d });
        }
      },
    }) satisfies RequestSpec;
  return {
    url,
    connections,
    timeout: 30,
    requests: [
      check,
      {
        method: 'POST',
        path: '/v1/requests',
        setupRequest: (request, context) => {
          n += 1;
          const change = changeFor(`load-${n}`);
          context.n = n;
          context.urn = change.urn;
          return {
            ...request,
            headers: headers(workloadTokens.carol),
            body: JSON.stringify(change),
          };
        },
        onResponse: (status, body, context) => {
          if (status !== 201) return;
          const { id } = JSON.parse(body) as { id: string };
          context.id = id;
          ledger.record({ kind: 'create', id, by: 'carol', urn: String(context.urn) });
        },
      },
      check,
      review('alice', () => 'approve'),
      check,
      review('bob', (i) => (i % 4 === 0 ? 'deny' : 'approve')),
    ],
  };
}

/**
 * `seconds` of mixed traffic (checks, requests, reviews) at `connections` connections with
 * autocannon, against the service in a process of its own on the embedded store. Afterwards
 * the service is stopped and started again on its data directory, which must hold every
 * acknowledged write, with an intact audit trail.
 */
export async function runLoadBench(options: LoadBenchOptions = {}): Promise<LoadBenchResult> {
  const seconds = options.seconds ?? 60;
  const connections = options.connections ?? 100;
  const log = options.log ?? (() => undefined);
  const root = await mkdtemp(join(tmpdir(), 'clearance-load-'));
  const configPath = join(root, 'config.yaml');
  const dataDir = join(root, 'data');
  await writeFile(configPath, workloadConfigYaml());
  try {
    const service = await spawnService({ configPath, dataDir });
    const ledger = new WriteLedger();
    const counted = { checks: 0 };
    let result: Awaited<ReturnType<typeof autocannon>>;
    let rss: [number, number];
    try {
      log(`approving ${options.approved ?? 200} requests for the checks…`);
      const items = await approveSome(service.url, options.approved ?? 200);
      const before = await service.rss();
      log(`${seconds} s of mixed traffic at ${connections} connections…`);
      result = await autocannon({
        ...mixedTraffic(service.url, connections, items, ledger, counted),
        duration: seconds,
      });
      rss = [before, await service.rss()];
    } finally {
      await service.stop();
    }
    log(`checking the ${ledger.size} acknowledged writes after a restart…`);
    const restarted = await startServer({ configPath, dataDir, port: 0, log: () => undefined });
    let lost: string[];
    try {
      lost = await ledger.missing(restarted.url, workloadTokens.alice);
    } finally {
      await restarted.close();
    }
    const audit = await verifyAuditDir(dataDir, { requireSignatures: true });
    const mb = (bytes: number) => bytes / (1024 * 1024);
    return {
      seconds: result.duration,
      connections,
      requests: result.requests.total,
      requestsPerSecond: result.requests.total / result.duration,
      latencyP50Ms: result.latency.p50,
      latencyP99Ms: result.latency.p99,
      errors: result.errors,
      timeouts: result.timeouts,
      non2xx: result.non2xx,
      checks: counted.checks,
      acknowledged: ledger.size,
      writesLost: lost.length,
      lost: lost.slice(0, 20),
      auditIntact: audit.ok,
      rssBeforeMb: mb(rss[0]),
      rssAfterMb: mb(rss[1]),
    };
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

/** The figures as a two-column table. */
export function formatLoadBench(r: LoadBenchResult): string {
  return formatTable([
    ['measure', 'value'],
    ['duration (s)', fixed(r.seconds, 1)],
    ['connections', String(r.connections)],
    ['requests', fixed(r.requests)],
    ['requests per second', fixed(r.requestsPerSecond, 1)],
    ['latency p50 (ms)', fixed(r.latencyP50Ms, 1)],
    ['latency p99 (ms)', fixed(r.latencyP99Ms, 1)],
    ['errors (timeouts)', `${r.errors} (${r.timeouts})`],
    ['non-2xx answers', String(r.non2xx)],
    ['checks answered', fixed(r.checks)],
    ['writes acknowledged', fixed(r.acknowledged)],
    ['writes lost', String(r.writesLost)],
    ['audit trail', r.auditIntact ? 'intact' : 'NOT INTACT'],
    ['RSS before / after (MB)', `${fixed(r.rssBeforeMb, 1)} / ${fixed(r.rssAfterMb, 1)}`],
  ]);
}
