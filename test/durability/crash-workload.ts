import { hashApiToken } from '@clearance/approval-service';
import { requestFingerprint } from '@clearance/client';
import type { AcknowledgedWrite, WriteLedger } from './write-ledger.js';

/** Who the crash and load tests act as: carol asks, alice, bob and dave (managers) decide. */
export const workloadTokens = {
  carol: 'crash-carol',
  alice: 'crash-alice',
  bob: 'crash-bob',
  dave: 'crash-dave',
} as const;
type Person = keyof typeof workloadTokens;

export const workloadStack = 'acme/app/crash';

/** Two managers approve; checkpoints come often, so kills land near them too. */
export function workloadConfigYaml(): string {
  const user = (id: Person, group: string) =>
    `  - {id: ${id}, name: ${id}, groups: [${group}], apiTokenSha256: ${hashApiToken(workloadTokens[id])}}`;
  return [
    'publicUrl: http://127.0.0.1:8080',
    'audit: {checkpointEvery: 25}',
    'users:',
    user('carol', 'deployers'),
    user('alice', 'managers'),
    user('bob', 'managers'),
    user('dave', 'managers'),
    'defaultRule:',
    '  approvals: 2',
    '  approverGroups: [managers]',
    '  requesterGroups: [deployers]',
    '  maxDurationSeconds: 3600',
    '',
  ].join('\n');
}

/** A deterministic generator of numbers in [0, 1) (mulberry32), so a round can be replayed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Step =
  | { call: 'review'; by: Person; decision: 'approve' | 'deny' }
  | { call: 'revoke' | 'reopen'; by: Person };

/**
 * What may happen to one request after carol opens it; steps in one group run at the same
 * time. Each succeeds when nothing is killed, so every answer but a 2xx means a crash.
 */
const chains: Step[][][] = [
  // approved by two at once, then revoked by the requester
  [
    [
      { call: 'review', by: 'alice', decision: 'approve' },
      { call: 'review', by: 'bob', decision: 'approve' },
    ],
    [{ call: 'revoke', by: 'carol' }],
  ],
  // denied, then reopened by another approver
  [[{ call: 'review', by: 'alice', decision: 'deny' }], [{ call: 'reopen', by: 'bob' }]],
  // approved one after the other
  [
    [{ call: 'review', by: 'dave', decision: 'approve' }],
    [{ call: 'review', by: 'alice', decision: 'approve' }],
  ],
  // one approval, then a denial
  [
    [{ call: 'review', by: 'bob', decision: 'approve' }],
    [{ call: 'review', by: 'dave', decision: 'deny' }],
  ],
  // withdrawn while pending
  [[{ call: 'revoke', by: 'carol' }]],
];

export interface WorkloadCounts {
  /** Operations whose request was sent. */
  sent: number;
  /** Operations answered at all (any status). */
  answered: number;
  /** Operations answered 2xx, each recorded in the ledger. */
  acknowledged: number;
}

export interface WorkloadOptions {
  url: string;
  operations: number;
  random: () => number;
  ledger: WriteLedger;
  /** Distinguishes the URNs of this run from those of other runs on the same store. */
  tag: string;
  /** Told after each answer, with how many have come so far. */
  onAnswer?: (answered: number) => void;
  /** Once true, no further operation is sent. */
  stopped: () => boolean;
}

/**
 * Sends `operations` writes at once through the API: requests, approvals, denials,
 * revocations and reopenings, as chains (one per request) that all run concurrently. Records
 * each acknowledged one; resolves when every chain has ended (ran out, or met a failure).
 */
export async function runWorkload(options: WorkloadOptions): Promise<WorkloadCounts> {
  const counts: WorkloadCounts = { sent: 0, answered: 0, acknowledged: 0 };
  const plans: Step[][][] = [];
  for (let left = options.operations; left > 0;) {
    const chain = chains[Math.floor(options.random() * chains.length)] ?? [];
    const trimmed: Step[][] = [];
    let size = 1;
    for (const group of chain) {
      const room = Math.min(group.length, left - size);
      if (room <= 0) break;
      trimmed.push(group.slice(0, room));
      size += room;
    }
    plans.push(trimmed);
    left -= size;
  }
  const send = async (
    path: string,
    by: Person,
    body: unknown,
    write: (answer: { id?: string }) => AcknowledgedWrite,
  ): Promise<string | undefined> => {
    if (options.stopped()) return undefined;
    counts.sent += 1;
    let res: Response;
    try {
      res = await fetch(`${options.url}${path}`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${workloadTokens[by]}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify(body),
      });
    } catch {
      return undefined; // the service is gone: not acknowledged
    }
    let answer: { id?: string } | undefined;
    try {
      answer = res.ok ? ((await res.json()) as { id?: string }) : undefined;
    } catch {
      answer = undefined; // the connection died within the answer
    }
    counts.answered += 1;
    if (answer) {
      counts.acknowledged += 1;
      options.ledger.record(write(answer));
    }
    options.onAnswer?.(counts.answered);
    return answer ? (answer.id ?? '') : undefined;
  };
  const runChain = async (plan: Step[][], n: number): Promise<void> => {
    const change = {
      stack: workloadStack,
      urn: `urn:pulumi:crash::app::aws:ec2/securityGroup:SecurityGroup::${options.tag}-${n}`,
      type: 'aws:ec2/securityGroup:SecurityGroup',
      policy: 'crash-open-ingress',
      material: { ingress: [{ cidr: '0.0.0.0/0', port: 22 }], n },
    };
    const urn = change.urn;
    const id = await send(
      '/v1/requests',
      'carol',
      {
        ...change,
        fingerprint: requestFingerprint(change),
        summary: 'port 22',
        reason: 'crash test',
      },
      (answer) => ({ kind: 'create', id: answer.id ?? '', by: 'carol', urn }),
    );
    if (!id) return;
    for (const group of plan) {
      const results = await Promise.all(
        group.map((step) =>
          step.call === 'review'
            ? send(
                `/v1/requests/${id}/reviews`,
                step.by,
                { decision: step.decision, reason: 'crash test' },
                () => ({ kind: 'review', id, by: step.by, decision: step.decision }),
              )
            : send(`/v1/requests/${id}/${step.call}`, step.by, { reason: 'crash test' }, () => ({
                kind: step.call,
                id,
                by: step.by,
              })),
        ),
      );
      if (results.some((r) => r === undefined)) return;
    }
  };
  await Promise.all(plans.map((plan, n) => runChain(plan, n)));
  return counts;
}
