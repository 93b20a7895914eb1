/**
 * What status conditions cost at deploy time: `GET /v1/approvals` of a stack whose approval
 * requires 0, 10 or 100 conditions at deploy time, their verdicts cached (within their cache
 * time) or asked afresh from a local status stand-in on every call (cache time 0, each fresh
 * verdict also audited). Each round times every variant, interleaved; each ratio divides a
 * variant's time by the 0-condition call's in the same round.
 */
import { performance } from 'node:perf_hooks';
import { hashApiToken } from '@clearance/approval-service';
import {
  startStatusStandIn,
  testApp,
  testStart,
  type StatusStandIn,
} from '@clearance/approval-service/testing';
import { ManualClock, requestFingerprint, type ApprovalsResponse } from '@clearance/client';
import { spread, type Spread } from './real-cli-bench.js';
import { fixed, formatTable } from './table.js';

const stack = 'acme/app/conditions';
const tokens = { carol: 'bench-carol-conditions', alice: 'bench-alice-conditions' };

export const conditionVariants = [
  'none',
  '10 cached',
  '100 cached',
  '10 uncached',
  '100 uncached',
] as const;
export type ConditionVariant = (typeof conditionVariants)[number];

export interface ConditionsBenchResult {
  rounds: number;
  callsPerRound: number;
  /** Milliseconds of one approvals call, per variant. */
  ms: Record<ConditionVariant, Spread>;
  /** Per round: the variant's time ÷ the 0-condition call's. */
  ratio: Record<ConditionVariant, Spread>;
  /** Verdicts in one answer, per variant (what the pack receives). */
  verdicts: Record<ConditionVariant, number>;
  /** Calls the status stand-in answered in all. */
  endpointCalls: number;
}

interface Variant {
  name: ConditionVariant;
  call: () => Promise<ApprovalsResponse>;
}

/** A service whose one approval on `stack` requires `count` conditions at deploy time. */
async function variant(
  name: ConditionVariant,
  count: number,
  cacheSeconds: number,
  standIn: StatusStandIn,
): Promise<Variant> {
  const conditions = Array.from({ length: count }, (_, i) => ({
    name: `c${i}`,
    url: `${standIn.url}/c/${i}`,
    path: '$.ok',
    equals: true,
    cacheSeconds,
  }));
  const user = (id: keyof typeof tokens, groups: string[]) => ({
    id,
    name: id,
    groups,
    apiTokenSha256: hashApiToken(tokens[id]),
  });
  const { app } = await testApp({
    clock: new ManualClock(testStart),
    config: {
      users: [user('carol', ['deployers']), user('alice', ['managers'])],
      conditions,
      defaultRule: {
        approvals: 1,
        approverGroups: ['managers'],
        maxDurationSeconds: 86_400,
        conditions: conditions.map((c) => ({ condition: c.name, at: 'deploy' as const })),
      },
    },
  });
  const send = async (method: string, path: string, as: keyof typeof tokens, body?: unknown) => {
    const res = await app.request(path, {
      method,
      headers: { authorization: `Bearer ${tokens[as]}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
    return res.json() as Promise<unknown>;
  };
  const change = {
    stack,
    urn: 'urn:pulumi:conditions::app::aws:s3/bucket:Bucket::b',
    type: 'aws:s3/bucket:Bucket',
    policy: 'aws-s3-public-access',
    summary: 'public bucket',
    material: { acl: 'public-read' },
  };
  const { id } = (await send('POST', '/v1/requests', 'carol', {
    ...change,
    fingerprint: requestFingerprint(change),
  })) as { id: string };
  await send('POST', `/v1/requests/${id}/reviews`, 'alice', { decision: 'approve' });
  const call = async () =>
    (await send('GET', `/v1/approvals?stack=${stack}`, 'carol')) as ApprovalsResponse;
  await call();
  return { name, call };
}

export async function runConditionsBench(
  options: { rounds?: number; calls?: number; log?: (line: string) => void } = {},
): Promise<ConditionsBenchResult> {
  const rounds = options.rounds ?? 15;
  const calls = options.calls ?? 20;
  const standIn = await startStatusStandIn();
  try {
    for (let i = 0; i < 100; i++) standIn.answer(`/c/${i}`, { json: { ok: true } });
    const variants = [
      await variant('none', 0, 0, standIn),
      await variant('10 cached', 10, 3600, standIn),
      await variant('100 cached', 100, 3600, standIn),
      await variant('10 uncached', 10, 0, standIn),
      await variant('100 uncached', 100, 0, standIn),
    ];
    const verdicts = {} as Record<ConditionVariant, number>;
    for (const v of variants) verdicts[v.name] = (await v.call()).conditions?.length ?? 0;
    const ms = Object.fromEntries(conditionVariants.map((n) => [n, [] as number[]])) as Record<
      ConditionVariant,
      number[]
    >;
    const ratios = Object.fromEntries(conditionVariants.map((n) => [n, [] as number[]])) as Record<
      ConditionVariant,
      number[]
    >;
    for (let round = 0; round < rounds; round++) {
      const times = {} as Record<ConditionVariant, number>;
      for (const v of variants) {
        const started = performance.now();
        for (let i = 0; i < calls; i++) await v.call();
        times[v.name] = (performance.now() - started) / calls;
        ms[v.name].push(times[v.name]);
      }
      for (const n of conditionVariants) ratios[n].push(times[n] / times.none);
      options.log?.(`  round ${round + 1}/${rounds}`);
    }
    const endpointCalls = Array.from({ length: 100 }, (_, i) => standIn.hits(`/c/${i}`)).reduce(
      (a, b) => a + b,
      0,
    );
    const map = (values: Record<ConditionVariant, number[]>) =>
      Object.fromEntries(conditionVariants.map((n) => [n, spread(values[n])])) as Record<
        ConditionVariant,
        Spread
      >;
    return {
      rounds,
      callsPerRound: calls,
      ms: map(ms),
      ratio: map(ratios),
      verdicts,
      endpointCalls,
    };
  } finally {
    await standIn.close();
  }
}

const range = (s: Spread, digits: number, unit = '') =>
  `${fixed(s.median, digits)}${unit} (${fixed(s.min, digits)}–${fixed(s.max, digits)})`;

export function formatConditionsBench(r: ConditionsBenchResult): string {
  return [
    `GET /v1/approvals with deploy-time conditions, ${r.rounds} interleaved rounds of ${r.callsPerRound} calls; median (min–max)`,
    formatTable([
      ['conditions', 'verdicts', 'ms per call', '× no conditions'],
      ...conditionVariants.map((n) => [
        n,
        String(r.verdicts[n]),
        range(r.ms[n], 2),
        range(r.ratio[n], 2, '×'),
      ]),
    ]),
  ].join('\n');
}
