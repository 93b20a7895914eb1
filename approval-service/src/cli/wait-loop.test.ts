import { describe, expect, it } from 'vitest';
import type { RequestView } from '@clearance/client';
import { ClearanceError } from '@clearance/client';
import { waitForDecisions, type WaitOptions } from './wait-loop.js';

function view(id: string, status: RequestView['status'], approvals = 0): RequestView {
  return {
    id,
    status,
    url: `http://svc/requests/${id}`,
    stack: 'acme/app/prod',
    urn: `urn:pulumi:prod::app::aws:s3/bucket:Bucket::${id}`,
    type: 'aws:s3/bucket:Bucket',
    policy: 'demo-policy',
    fingerprint: 'a'.repeat(64),
    summary: 's',
    reason: '',
    requester: 'carol',
    createdAt: '2026-01-05T09:00:00.000Z',
    expiresAt: '2026-01-06T09:00:00.000Z',
    requirements: {
      rule: 'default',
      approvals: 2,
      approverGroups: ['managers'],
      requesterGroups: [],
      maxDurationSeconds: 3600,
      reasonRequired: false,
    },
    progress: { approvals, required: 2, text: `${approvals} of 2 managers` },
    reviews:
      status === 'denied' ? [{ reviewer: 'bob', decision: 'deny', reason: 'no', at: 'x' }] : [],
    ...(status === 'approved' ? { token: `token-${id}` } : {}),
    runs: [],
  };
}

/** A fake clock that `sleep` advances: the loop runs without waiting. */
function harness(
  script: Record<string, (RequestView | Error)[]>,
  overrides: Partial<WaitOptions> = {},
) {
  let t = 0;
  const lines: string[] = [];
  const fetched: string[] = [];
  const options: WaitOptions = {
    ids: Object.keys(script),
    fetchRequest: (id) => {
      fetched.push(id);
      const queue = script[id] ?? [];
      const next = queue.length > 1 ? queue.shift() : queue[0];
      return next instanceof Error ? Promise.reject(next) : Promise.resolve(next as RequestView);
    },
    timeoutMs: 60_000,
    intervalMs: 5_000,
    heartbeatMs: 30_000,
    report: (line) => lines.push(`${t / 1000}s ${line}`),
    now: () => t,
    sleep: (ms) => {
      t += ms;
      return Promise.resolve();
    },
    ...overrides,
  };
  return { options, lines, fetched, elapsed: () => t };
}

describe('waitForDecisions', () => {
  it('ends approved once every request is, reporting each change', async () => {
    const h = harness({
      req_a: [
        view('req_a', 'pending', 0),
        view('req_a', 'pending', 1),
        view('req_a', 'approved', 2),
      ],
      req_b: [view('req_b', 'approved', 2)],
    });
    const result = await waitForDecisions(h.options);
    expect(result.outcome).toBe('approved');
    expect(result.summary.approved.map((v) => v.token)).toEqual(['token-req_a', 'token-req_b']);
    expect(h.lines).toEqual([
      '0s 1/2 decided, waiting for req_a (0 of 2 managers)…',
      '5s 1/2 decided, waiting for req_a (1 of 2 managers)…',
    ]);
    expect(h.fetched).toEqual(['req_a', 'req_b', 'req_a', 'req_a']);
  });

  it('ends failed as soon as one request is denied', async () => {
    const h = harness({
      req_a: [view('req_a', 'pending'), view('req_a', 'denied')],
      req_b: [view('req_b', 'pending')],
    });
    const result = await waitForDecisions(h.options);
    expect(result.outcome).toBe('failed');
    expect(result.summary.failed.map((v) => v.id)).toEqual(['req_a']);
    expect(h.elapsed()).toBe(5_000);
  });

  it('times out at the deadline, repeating the progress line periodically', async () => {
    const h = harness({ req_a: [view('req_a', 'pending', 1)] }, { timeoutMs: 62_000 });
    const result = await waitForDecisions(h.options);
    expect(result.outcome).toBe('timeout');
    expect(h.elapsed()).toBe(62_000);
    expect(h.lines.map((l) => l.split(' ')[0])).toEqual(['0s', '30s', '60s']);
  });

  it('rides out an unreachable service, and stops on other errors', async () => {
    const down = new ClearanceError('ERR_UNREACHABLE', 'the approval service is unreachable');
    const h = harness({ req_a: [down, down, view('req_a', 'approved', 2)] });
    expect((await waitForDecisions(h.options)).outcome).toBe('approved');
    expect(h.lines).toEqual([
      '0s the approval service is unreachable; retrying',
      '10s the service answers again',
    ]);

    const missing = new ClearanceError('ERR_NOT_FOUND', 'no request req_x', { status: 404 });
    await expect(waitForDecisions(harness({ req_x: [missing] }).options)).rejects.toThrow(
      'no request req_x',
    );
  });

  it('stops when interrupted', async () => {
    const controller = new AbortController();
    const h = harness({ req_a: [view('req_a', 'pending')] });
    const result = await waitForDecisions({
      ...h.options,
      signal: controller.signal,
      sleep: () => {
        controller.abort();
        return Promise.resolve();
      },
    });
    expect(result.outcome).toBe('interrupted');
  });
});
