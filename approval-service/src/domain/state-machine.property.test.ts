import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isClearanceError, type RequestStatus } from '@clearance/client';
import { applyReopen, checkDenial } from './denial.js';
import { applyExpiry, applyRevoke } from './lifecycle.js';
import type { Actor, StoredRequest } from './model.js';
import { applyReview } from './review-decision.js';
import { effectiveStatus } from './request-status.js';

/**
 * Random sequences of reviews, denials, revocations, reopenings, expiry sweeps and clock steps,
 * applied to one request by the pure domain functions and to a small model of the state machine
 * written apart from them. After every step both must agree on the outcome (the new state, or
 * the code of the refusal), and the invariants hold: quorum, no self-approval, one eligible
 * denial is final, an approved request is never decided again, expiry exactly at its edge.
 */

const managers = ['managers'];
const people: Actor[] = [
  { id: 'carol', displayName: 'Carol', groups: ['managers', 'deployers'] },
  { id: 'alice', displayName: 'Alice', groups: ['managers'] },
  { id: 'bob', displayName: 'Bob', groups: ['managers'] },
  { id: 'dave', displayName: 'Dave', groups: ['managers', 'sre'] },
  { id: 'erin', displayName: 'Erin', groups: ['deployers'] },
];
/** The requester is a manager too: only the self-review rule keeps her from deciding. */
const requester = 'carol';
const created = Date.parse('2026-01-05T09:00:00.000Z');
const maxDurationSeconds = 3600;

type Command =
  | { kind: 'review'; who: number; decision: 'approve' | 'deny'; reason: string; seconds?: number }
  | { kind: 'revoke'; who: number }
  | { kind: 'reopen'; who: number; reason: string }
  | { kind: 'sweep' }
  | { kind: 'step'; ms: number }
  /** Moves the clock to the request's lapse time plus `offset` ms (never backwards). */
  | { kind: 'edge'; offset: -1 | 0 };

const who = fc.nat({ max: people.length - 1 });
const reason = fc.constantFrom('', 'ok', '  ');
const command: fc.Arbitrary<Command> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record(
      {
        kind: fc.constant('review' as const),
        who,
        decision: fc.constantFrom('approve' as const, 'approve' as const, 'deny' as const),
        reason,
        // Up to the rule's maximum: a longer one is refused before anything is recorded.
        seconds: fc.integer({ min: 1, max: maxDurationSeconds }),
      },
      { requiredKeys: ['kind', 'who', 'decision', 'reason'] },
    ),
  },
  fc.record({ kind: fc.constant('revoke' as const), who }),
  fc.record({ kind: fc.constant('reopen' as const), who, reason }),
  fc.constant({ kind: 'sweep' as const }),
  fc.record({ kind: fc.constant('step' as const), ms: fc.integer({ min: 0, max: 3 * 3_600_000 }) }),
  fc.record({
    kind: fc.constant('edge' as const),
    offset: fc.constantFrom(-1 as const, 0 as const),
  }),
);

const scenario = fc.record(
  {
    approvals: fc.integer({ min: 1, max: 3 }),
    reasonRequired: fc.boolean(),
    pendingHours: fc.integer({ min: 1, max: 6 }),
    requestedSeconds: fc.integer({ min: 60, max: maxDurationSeconds }),
    cooldownSeconds: fc.integer({ min: 1, max: 7200 }),
    commands: fc.array(command, { maxLength: 30 }),
  },
  { requiredKeys: ['approvals', 'reasonRequired', 'pendingHours', 'commands'] },
);
type Scenario = typeof scenario extends fc.Arbitrary<infer T> ? T : never;

/** The model: what the state machine must do, in as few words as it can be said. */
interface Model {
  status: RequestStatus;
  decided: boolean;
  reviewers: string[];
  approvers: string[];
  /** Durations the approvers gave. */
  granted: number[];
  pendingEndsMs: number;
  approvalEndsMs?: number;
  deniedAtMs?: number;
  reopened: boolean;
}

function modelStatus(m: Model, now: number): RequestStatus {
  if (m.status === 'pending' && now >= m.pendingEndsMs) return 'expired';
  if (m.status === 'approved' && now >= (m.approvalEndsMs ?? 0)) return 'expired';
  return m.status;
}

const eligible = (actor: Actor) => actor.groups.some((g) => managers.includes(g));

/** What the model says a command does: a refusal code, or the change it makes. */
function modelStep(m: Model, c: Command, now: number, s: Scenario): string | Model {
  const status = modelStatus(m, now);
  if (c.kind === 'review') {
    const actor = people[c.who]!;
    if (status !== 'pending') {
      return status === 'expired' && !m.decided ? 'ERR_REQUEST_EXPIRED' : 'ERR_ALREADY_DECIDED';
    }
    if (actor.id === requester) return 'ERR_SELF_REVIEW';
    if (!eligible(actor)) return 'ERR_NOT_ELIGIBLE';
    if (m.reviewers.includes(actor.id)) return 'ERR_ALREADY_VOTED';
    if (s.reasonRequired && c.reason.trim() === '') return 'ERR_VALIDATION';
    const next = { ...m, reviewers: [...m.reviewers, actor.id] };
    if (c.decision === 'deny') return { ...next, status: 'denied', decided: true, deniedAtMs: now };
    next.approvers = [...m.approvers, actor.id];
    if (c.seconds !== undefined) next.granted = [...m.granted, c.seconds];
    if (next.approvers.length < s.approvals) return next;
    const seconds = Math.min(
      maxDurationSeconds,
      s.requestedSeconds ?? maxDurationSeconds,
      ...next.granted,
    );
    const approvalEndsMs = (Math.floor(now / 1000) + seconds) * 1000;
    return { ...next, status: 'approved', decided: true, approvalEndsMs };
  }
  if (c.kind === 'revoke') {
    const actor = people[c.who]!;
    if (actor.id !== requester && !eligible(actor)) return 'ERR_FORBIDDEN';
    if (status !== 'pending' && status !== 'approved') return 'ERR_ALREADY_DECIDED';
    return { ...m, status: 'revoked' };
  }
  if (c.kind === 'reopen') {
    const actor = people[c.who]!;
    if (actor.id === requester) return 'ERR_SELF_REVIEW';
    if (!eligible(actor)) return 'ERR_NOT_ELIGIBLE';
    if (status !== 'denied' || m.reopened) return 'ERR_CONFLICT';
    if (s.reasonRequired && c.reason.trim() === '') return 'ERR_VALIDATION';
    return { ...m, reopened: true };
  }
  if (c.kind === 'sweep') {
    const stored = m.status === 'pending' || m.status === 'approved';
    return stored && status === 'expired' ? { ...m, status: 'expired' } : m;
  }
  return m;
}

/** What the domain functions do with the same command: a refusal code, or the new request. */
function realStep(r: StoredRequest, c: Command, now: Date): string | StoredRequest {
  try {
    switch (c.kind) {
      case 'review': {
        const input = { decision: c.decision, reason: c.reason };
        const withSeconds =
          c.seconds === undefined ? input : { ...input, durationSeconds: c.seconds };
        return applyReview(r, people[c.who]!, withSeconds, now).request;
      }
      case 'revoke':
        return applyRevoke(r, people[c.who]!, 'stop', now).request;
      case 'reopen':
        return applyReopen(r, people[c.who]!, c.reason, now).request;
      case 'sweep':
        return applyExpiry(r, now)?.request ?? r;
      default:
        return r;
    }
  } catch (err) {
    if (isClearanceError(err)) return err.code;
    throw err;
  }
}

function initial(s: Scenario): { request: StoredRequest; model: Model } {
  const pendingEndsMs = created + s.pendingHours * 3_600_000;
  const request: StoredRequest = {
    id: 'req_1',
    stack: 'acme/web/prod',
    urn: 'urn:pulumi:prod::web::aws:ec2/securityGroup:SecurityGroup::sg',
    type: 'aws:ec2/securityGroup:SecurityGroup',
    policy: 'aws-security-group-open-ingress',
    fingerprint: 'a'.repeat(64),
    summary: 'opens port 22 to the world',
    reason: 'debugging',
    requester,
    status: 'pending',
    requirements: {
      rule: 'default',
      approvals: s.approvals,
      approverGroups: managers,
      requesterGroups: [],
      maxDurationSeconds,
      reasonRequired: s.reasonRequired,
    },
    reviews: [],
    createdAt: new Date(created).toISOString(),
    pendingExpiresAt: new Date(pendingEndsMs).toISOString(),
    runs: [],
    ...(s.requestedSeconds === undefined ? {} : { requestedDurationSeconds: s.requestedSeconds }),
  };
  const model: Model = {
    status: 'pending',
    decided: false,
    reviewers: [],
    approvers: [],
    granted: [],
    pendingEndsMs,
    reopened: false,
  };
  return { request, model };
}

/** The invariants, checked of the real request after every step. */
function checkInvariants(r: StoredRequest, before: StoredRequest, now: Date, s: Scenario): void {
  const approvers = new Set(
    r.reviews.filter((v) => v.decision === 'approve').map((v) => v.reviewer),
  );
  const reviewers = r.reviews.map((v) => v.reviewer);
  // No self-approval, no ineligible reviewer, one vote each.
  expect(reviewers).not.toContain(requester);
  expect(reviewers.every((id) => eligible(people.find((p) => p.id === id)!))).toBe(true);
  expect(new Set(reviewers).size).toBe(reviewers.length);
  // Quorum: an approval has at least the required approvers and no denial.
  if (r.status === 'approved' || r.expiresAt !== undefined) {
    expect(approvers.size).toBeGreaterThanOrEqual(s.approvals);
    expect(r.reviews.some((v) => v.decision === 'deny')).toBe(false);
  }
  if (r.status === 'pending') expect(approvers.size).toBeLessThan(s.approvals);
  // One eligible denial is final: it stays denied, and its change cannot be asked for again
  // until an approver reopens it or the cooldown has run.
  if (before.status === 'denied') expect(r.status).toBe('denied');
  if (r.status === 'denied' && r.reopenedAt === undefined) {
    expect(() => checkDenial(r, now, undefined)).toThrow(/stays denied/);
    const endsMs = Date.parse(r.decidedAt!) + (s.cooldownSeconds ?? 0) * 1000;
    const during = (): unknown => checkDenial(r, now, s.cooldownSeconds);
    if (s.cooldownSeconds !== undefined && now.getTime() >= endsMs) {
      expect(during()).toMatchObject({ action: 'request.denial-lapsed' });
    } else if (s.cooldownSeconds !== undefined) {
      expect(during).toThrow(/stays denied/);
    }
  }
  if (r.reopenedAt !== undefined) expect(checkDenial(r, now, undefined)).toBeUndefined();
  // A decision, once made, is never made again.
  if (before.decidedAt !== undefined) {
    expect(r.decidedAt).toBe(before.decidedAt);
    expect(r.reviews).toHaveLength(before.reviews.length);
  }
  // Expiry at its edge: an approval holds until the millisecond before expiresAt.
  if (r.status === 'approved' && r.expiresAt) {
    const ends = Date.parse(r.expiresAt);
    expect(effectiveStatus(r, new Date(ends - 1))).toBe('approved');
    expect(effectiveStatus(r, new Date(ends))).toBe('expired');
  }
}

function play(s: Scenario): void {
  let { request, model } = initial(s);
  let now = created;
  for (const c of s.commands) {
    if (c.kind === 'step') now += c.ms;
    if (c.kind === 'edge') {
      const lapse = Date.parse(request.expiresAt ?? request.pendingExpiresAt) + c.offset;
      now = Math.max(now, lapse);
    }
    const at = new Date(now);
    const expected = modelStep(model, c, now, s);
    const actual = realStep(request, c, at);
    if (typeof expected === 'string') {
      expect({ command: c, outcome: actual }).toEqual({ command: c, outcome: expected });
      continue;
    }
    expect(typeof actual, JSON.stringify({ command: c, actual })).toBe('object');
    const next = actual as StoredRequest;
    checkInvariants(next, request, at, s);
    request = next;
    model = expected;
    expect(effectiveStatus(request, at)).toBe(modelStatus(model, now));
    expect(request.status).toBe(model.status);
    expect(request.expiresAt).toBe(
      model.approvalEndsMs === undefined ? undefined : new Date(model.approvalEndsMs).toISOString(),
    );
  }
}

describe('the approval state machine against its model', () => {
  it('agrees with the model on every step of random sequences, and keeps its invariants', () => {
    fc.assert(fc.property(scenario, play), { numRuns: 300 });
  });

  it('reaches every outcome the invariants are about, so that none holds vacuously', () => {
    const seen = new Set<string>();
    fc.assert(
      fc.property(scenario, (s) => {
        let { request } = initial(s);
        let now = created;
        for (const c of s.commands) {
          if (c.kind === 'step') now += c.ms;
          const actual = realStep(request, c, new Date(now));
          if (typeof actual === 'string') seen.add(actual);
          else request = actual;
          seen.add(effectiveStatus(request, new Date(now)));
          if (request.reopenedAt) seen.add('reopened');
        }
      }),
      { numRuns: 300, seed: 20_260_105 },
    );
    for (const outcome of [
      'approved',
      'denied',
      'revoked',
      'expired',
      'reopened',
      'ERR_SELF_REVIEW',
      'ERR_NOT_ELIGIBLE',
      'ERR_ALREADY_VOTED',
      'ERR_ALREADY_DECIDED',
      'ERR_REQUEST_EXPIRED',
    ]) {
      expect(seen).toContain(outcome);
    }
  });
});
