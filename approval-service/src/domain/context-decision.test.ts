import { describe, expect, it } from 'vitest';
import type { ConditionVerdict, Requirements } from '@clearance/client';
import { judgeAnswer, valueAtPath } from './condition-verdict.js';
import { applyAutoApproval, assertContextAllowsApproval } from './context-decision.js';
import type { StoredRequest } from './model.js';
import { codeOf } from './thrown-code.case.js';

const now = new Date('2026-01-05T09:00:00Z');
const base: Requirements = {
  rule: 'prod',
  approvals: 2,
  approverGroups: ['managers'],
  requesterGroups: [],
  maxDurationSeconds: 3600,
  reasonRequired: false,
};
const freeze = { name: 'year-end', start: 1767_000_000, end: 1768_000_000 };
const verdict = (condition: string, holds?: boolean): ConditionVerdict => ({
  condition,
  ...(holds === undefined ? {} : { holds }),
  message: `condition "${condition}" ${holds === undefined ? 'could not be checked' : holds ? 'holds' : 'does not hold'}`,
  checkedAt: now.toISOString(),
});

describe('whether the context allows an approval', () => {
  it('refuses during a freeze, unless the rule allows break-glass', () => {
    expect(codeOf(() => assertContextAllowsApproval(base, freeze, new Map()))).toBe('ERR_FROZEN');
    const glass = { ...base, breakGlassDuringFreezes: true };
    expect(assertContextAllowsApproval(glass, freeze, new Map())).toEqual([]);
  });

  it('needs decision-time conditions to hold; an unanswered one passes only failing open', () => {
    const rule = (failOpen: boolean): Requirements => ({
      ...base,
      conditions: [
        { condition: 'incident', at: 'decision', failOpen },
        { condition: 'error-rate', at: 'deploy', failOpen: false },
      ],
    });
    const holds = new Map([['incident', verdict('incident', true)]]);
    expect(assertContextAllowsApproval(rule(false), undefined, holds)).toEqual([]);
    const no = new Map([['incident', verdict('incident', false)]]);
    expect(codeOf(() => assertContextAllowsApproval(rule(true), undefined, no))).toBe(
      'ERR_CONDITION_FAILED',
    );
    const unknown = new Map([['incident', verdict('incident')]]);
    expect(codeOf(() => assertContextAllowsApproval(rule(false), undefined, unknown))).toBe(
      'ERR_CONDITION_FAILED',
    );
    expect(assertContextAllowsApproval(rule(true), undefined, unknown)).toEqual(['incident']);
  });
});

describe('auto-approval by a condition', () => {
  const pending: StoredRequest = {
    id: 'req_1',
    stack: 'acme/shop/prod',
    urn: 'urn:pulumi:prod::shop::x::y',
    type: 'x',
    policy: 'p',
    fingerprint: 'f'.repeat(64),
    summary: 's',
    reason: '',
    requester: 'carol',
    createdAt: now.toISOString(),
    status: 'pending',
    requirements: { ...base, autoApprove: { condition: 'on-call', approvals: 1 } },
    reviews: [],
    pendingExpiresAt: '2026-01-06T09:00:00Z',
    runs: [],
  };

  it('counts as one approval of the quorum, by the condition and not a person', () => {
    const outcome = applyAutoApproval(pending, verdict('on-call', true), now);
    expect(outcome.approved).toBe(false);
    expect(outcome.request.reviews).toEqual([
      expect.objectContaining({
        reviewer: 'condition:on-call',
        condition: 'on-call',
        approvals: 1,
      }),
    ]);
    expect(outcome.events.map((e) => [e.action, e.actor, e.data?.progress])).toEqual([
      ['review.approve', 'condition:on-call', '1 of 2 managers'],
    ]);
  });

  it('approves at once when it counts as all of the quorum', () => {
    const all = {
      ...pending,
      requirements: { ...base, autoApprove: { condition: 'on-call', approvals: 'all' as const } },
    };
    const outcome = applyAutoApproval(all, verdict('on-call', true), now);
    expect(outcome.approved).toBe(true);
    expect(outcome.request.expiresAt).toBe('2026-01-05T10:00:00.000Z');
    expect(outcome.events.at(-1)?.data).toMatchObject({
      approvers: [],
      autoApprovals: [{ condition: 'on-call', approvals: 2 }],
    });
  });

  it('gives nothing when the endpoint says no, or gives no answer', () => {
    for (const answer of [verdict('on-call', false), verdict('on-call')]) {
      const outcome = applyAutoApproval(pending, answer, now);
      expect([outcome.approved, outcome.request.reviews, outcome.events]).toEqual([false, [], []]);
    }
  });
});

describe('condition verdicts', () => {
  const condition = {
    name: 'rate',
    url: 'http://status.test/rate',
    path: '$.metrics.0.value',
    greaterThan: 10,
    timeoutMs: 1000,
    cacheSeconds: 0,
  };
  it('reads a dotted path with indexes, and compares', () => {
    expect(valueAtPath({ a: { b: [1, { c: 'x' }] } }, '$.a.b.1.c')).toBe('x');
    expect(valueAtPath({ a: 1 }, '$')).toEqual({ a: 1 });
    const answer = { kind: 'json' as const, status: 200, body: { metrics: [{ value: 12 }] } };
    expect(judgeAnswer(condition, answer, now).holds).toBe(true);
    const text = { kind: 'json' as const, status: 200, body: { metrics: [{ value: '12' }] } };
    expect(judgeAnswer(condition, text, now).holds).toBeUndefined();
  });
});
