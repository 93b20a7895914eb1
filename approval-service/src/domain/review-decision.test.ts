import { describe, expect, it } from 'vitest';
import type { Requirements, TimeWindow } from '@clearance/client';
import { codeOf } from './thrown-code.case.js';
import type { Actor, StoredRequest } from './model.js';
import { applyReview, type ReviewInput } from './review-decision.js';

const alice: Actor = { id: 'alice', displayName: 'Alice', groups: ['managers'] };
const bob: Actor = { id: 'bob', displayName: 'Bob', groups: ['managers'] };
const dave: Actor = { id: 'dave', displayName: 'Dave', groups: ['managers', 'deployers'] };
const carol: Actor = { id: 'carol', displayName: 'Carol', groups: ['deployers'] };

const created = new Date('2026-01-05T09:00:00.000Z');

function pending(
  requirements: Partial<Requirements> = {},
  over: Partial<StoredRequest> = {},
): StoredRequest {
  return {
    id: 'req_1',
    stack: 'acme/web/prod',
    urn: 'urn:pulumi:prod::web::aws:ec2/securityGroup:SecurityGroup::sg',
    type: 'aws:ec2/securityGroup:SecurityGroup',
    policy: 'aws-security-group-open-ingress',
    fingerprint: 'a'.repeat(64),
    summary: 'opens port 22 to the world',
    reason: 'debugging',
    requester: 'carol',
    status: 'pending',
    requirements: {
      rule: 'default',
      approvals: 2,
      approverGroups: ['managers'],
      requesterGroups: [],
      maxDurationSeconds: 3600,
      reasonRequired: false,
      ...requirements,
    },
    reviews: [],
    createdAt: created.toISOString(),
    pendingExpiresAt: '2026-01-06T09:00:00.000Z',
    runs: [],
    ...over,
  };
}

const approve: ReviewInput = { decision: 'approve', reason: 'ok' };
const deny: ReviewInput = { decision: 'deny', reason: 'no' };
const at = (iso: string) => new Date(iso);
const t1 = at('2026-01-05T09:10:00.000Z');
const t2 = at('2026-01-05T09:20:00.500Z');

describe('applyReview', () => {
  it('keeps a request pending until the quorum is met, then approves it', () => {
    const first = applyReview(pending(), alice, approve, t1);
    expect(first.approved).toBe(false);
    expect(first.request.status).toBe('pending');
    expect(first.events.map((e) => e.action)).toEqual(['review.approve']);
    expect(first.events[0]?.data?.progress).toBe('1 of 2 managers');

    const second = applyReview(first.request, bob, approve, t2);
    expect(second.approved).toBe(true);
    expect(second.request.status).toBe('approved');
    expect(second.request.decidedAt).toBe(t2.toISOString());
    expect(second.events.map((e) => e.action)).toEqual(['review.approve', 'request.approved']);
    expect(second.events[1]?.data?.approvers).toEqual(['alice', 'bob']);
  });

  it('sets expiresAt to the decision time (whole second) plus the granted duration', () => {
    const first = applyReview(
      pending({}, { requestedDurationSeconds: 1800 }),
      alice,
      { ...approve, durationSeconds: 1200 },
      t1,
    );
    const second = applyReview(first.request, bob, approve, t2);
    expect(second.request.expiresAt).toBe('2026-01-05T09:40:00.000Z');
  });

  it('grants the rule maximum when nobody asked for a duration, and refuses longer ones', () => {
    const one = pending({ approvals: 1 });
    expect(applyReview(one, alice, approve, t1).request.expiresAt).toBe('2026-01-05T10:10:00.000Z');
    expect(codeOf(() => applyReview(one, alice, { ...approve, durationSeconds: 3601 }, t1))).toBe(
      'ERR_DURATION_TOO_LONG',
    );
    const exact = applyReview(one, alice, { ...approve, durationSeconds: 3600 }, t1);
    expect(exact.request.reviews[0]?.durationSeconds).toBe(3600);
    const asked = pending({ approvals: 1 }, { requestedDurationSeconds: 7200 });
    expect(applyReview(asked, alice, approve, t1).request.expiresAt).toBe(
      '2026-01-05T10:10:00.000Z',
    );
  });

  it('makes one eligible denial final', () => {
    const first = applyReview(pending(), alice, approve, t1);
    const denied = applyReview(first.request, bob, deny, t2);
    expect(denied.request.status).toBe('denied');
    expect(denied.events.map((e) => e.action)).toEqual(['review.deny', 'request.denied']);
    expect(codeOf(() => applyReview(denied.request, dave, approve, t2))).toBe(
      'ERR_ALREADY_DECIDED',
    );
  });

  it('refuses self-review, even from a member of the approver groups', () => {
    expect(codeOf(() => applyReview(pending({}, { requester: 'dave' }), dave, approve, t1))).toBe(
      'ERR_SELF_REVIEW',
    );
  });

  it('refuses a reviewer outside the approver groups', () => {
    const req = pending({}, { requester: 'bob' });
    expect(codeOf(() => applyReview(req, carol, approve, t1))).toBe('ERR_NOT_ELIGIBLE');
    expect(codeOf(() => applyReview(req, carol, deny, t1))).toBe('ERR_NOT_ELIGIBLE');
  });

  it('refuses a second vote by the same person, which never counts twice', () => {
    const first = applyReview(pending(), alice, approve, t1);
    expect(codeOf(() => applyReview(first.request, alice, approve, t2))).toBe('ERR_ALREADY_VOTED');
    expect(codeOf(() => applyReview(first.request, alice, deny, t2))).toBe('ERR_ALREADY_VOTED');
    const forged = {
      ...first.request,
      reviews: [...first.request.reviews, ...first.request.reviews],
    };
    expect(applyReview(forged, bob, approve, t2).events[0]?.data?.progress).toBe('2 of 2 managers');
  });

  it('refuses a decision on a decided or revoked request', () => {
    const approved = applyReview(pending({ approvals: 1 }), alice, approve, t1).request;
    expect(codeOf(() => applyReview(approved, bob, approve, t2))).toBe('ERR_ALREADY_DECIDED');
    const revoked = pending(
      {},
      { status: 'revoked', revokedAt: t1.toISOString(), revokedBy: 'carol' },
    );
    expect(codeOf(() => applyReview(revoked, bob, approve, t2))).toBe('ERR_ALREADY_DECIDED');
    const lapsedApproval = at('2026-01-05T10:10:00.000Z');
    expect(codeOf(() => applyReview(approved, bob, approve, lapsedApproval))).toBe(
      'ERR_ALREADY_DECIDED',
    );
  });

  it('refuses a decision on a pending request past its pending expiry, not a second before', () => {
    const req = pending();
    expect(
      applyReview(req, alice, approve, at('2026-01-06T08:59:59.999Z')).request.reviews,
    ).toHaveLength(1);
    expect(codeOf(() => applyReview(req, alice, approve, at('2026-01-06T09:00:00.000Z')))).toBe(
      'ERR_REQUEST_EXPIRED',
    );
    expect(codeOf(() => applyReview({ ...req, status: 'expired' }, alice, approve, t1))).toBe(
      'ERR_REQUEST_EXPIRED',
    );
  });

  it('requires a reason when the rule says so', () => {
    const req = pending({ reasonRequired: true });
    expect(codeOf(() => applyReview(req, alice, { decision: 'approve', reason: '   ' }, t1))).toBe(
      'ERR_VALIDATION',
    );
    expect(applyReview(req, alice, approve, t1).request.reviews).toHaveLength(1);
    expect(
      applyReview(pending(), alice, { decision: 'approve', reason: '' }, t1).request.reviews,
    ).toHaveLength(1);
  });

  it('does not change the request it was given', () => {
    const req = pending({ approvals: 1 });
    const copy = structuredClone(req);
    applyReview(req, alice, approve, t1);
    expect(req).toEqual(copy);
  });
});

describe('applyReview inside a window', () => {
  function edges(window: TimeWindow, cases: [string, boolean][]) {
    const req = pending({ window }, { pendingExpiresAt: '2027-01-01T00:00:00.000Z' });
    for (const [iso, allowed] of cases) {
      const code = codeOf(() => applyReview(req, alice, approve, at(iso)));
      expect({ iso, code }).toEqual({ iso, code: allowed ? undefined : 'ERR_OUTSIDE_WINDOW' });
    }
  }

  it('opens at `from` and closes at `to` on office days', () => {
    edges(
      {
        days: ['mon', 'tue', 'wed', 'thu', 'fri'],
        from: '09:00',
        to: '17:00',
        timeZone: 'Europe/Paris',
      },
      [
        ['2026-03-30T06:59:59Z', false],
        ['2026-03-30T07:00:00Z', true],
        ['2026-03-30T14:59:59Z', true],
        ['2026-03-30T15:00:00Z', false],
        ['2026-03-28T10:00:00Z', false],
      ],
    );
  });

  it('spans midnight into the next day', () => {
    edges({ days: ['fri'], from: '22:00', to: '02:00', timeZone: 'America/New_York' }, [
      ['2026-01-10T02:59:59Z', false],
      ['2026-01-10T03:00:00Z', true],
      ['2026-01-10T06:59:59Z', true],
      ['2026-01-10T07:00:00Z', false],
      ['2026-01-11T03:00:00Z', false],
    ]);
  });

  it('follows the spring daylight-saving change (Europe/Paris, 2026-03-29)', () => {
    edges({ days: ['sun'], from: '01:00', to: '04:00', timeZone: 'Europe/Paris' }, [
      ['2026-03-28T23:59:59Z', false],
      ['2026-03-29T00:00:00Z', true],
      ['2026-03-29T01:59:59Z', true],
      ['2026-03-29T02:00:00Z', false],
    ]);
  });

  it('follows the autumn daylight-saving change (Europe/Paris, 2026-10-25)', () => {
    edges({ days: ['sun'], from: '01:00', to: '04:00', timeZone: 'Europe/Paris' }, [
      ['2026-10-24T22:59:59Z', false],
      ['2026-10-24T23:00:00Z', true],
      ['2026-10-25T02:59:59Z', true],
      ['2026-10-25T03:00:00Z', false],
    ]);
  });

  it('spans midnight into a daylight-saving change (America/New_York, 2026-03-08)', () => {
    edges({ days: ['sat'], from: '22:00', to: '03:00', timeZone: 'America/New_York' }, [
      ['2026-03-08T02:59:59Z', false],
      ['2026-03-08T03:00:00Z', true],
      ['2026-03-08T06:59:59Z', true],
      ['2026-03-08T07:00:00Z', false],
    ]);
  });
});
