import { describe, expect, it } from 'vitest';
import type { BreakGlassRequirements } from '@clearance/client';
import {
  applyBreakGlass,
  applyBreakGlassReview,
  breakGlassReviewState,
  mayBreakGlass,
} from './break-glass.js';
import type { Actor, StoredRequest } from './model.js';
import { codeOf } from './thrown-code.case.js';

const carol: Actor = { id: 'carol', displayName: 'Carol', groups: ['sre-oncall', 'deployers'] };
const dave: Actor = { id: 'dave', displayName: 'Dave', groups: ['deployers'] };
const sam: Actor = { id: 'sam', displayName: 'Sam', groups: ['security'] };
const seth: Actor = { id: 'seth', displayName: 'Seth', groups: ['security', 'sre-oncall'] };

const glassRule: BreakGlassRequirements = {
  groups: ['sre-oncall'],
  maxDurationSeconds: 3600,
  reasonRequired: true,
  reviewerGroups: ['security'],
  reviewWithinSeconds: 86_400,
};
const now = new Date('2026-01-05T09:10:00.000Z');

function pending(breakGlass: BreakGlassRequirements | null = glassRule): StoredRequest {
  return {
    id: 'req_1',
    stack: 'acme/web/prod',
    urn: 'urn:pulumi:prod::web::aws:ec2/securityGroup:SecurityGroup::sg',
    type: 'aws:ec2/securityGroup:SecurityGroup',
    policy: 'aws-security-group-open-ingress',
    fingerprint: 'a'.repeat(64),
    summary: 'opens port 22 to the world',
    reason: 'incident 42',
    requester: 'carol',
    status: 'pending',
    requirements: {
      rule: 'prod',
      approvals: 2,
      approverGroups: ['managers'],
      requesterGroups: [],
      maxDurationSeconds: 14_400,
      reasonRequired: false,
      ...(breakGlass ? { breakGlass } : {}),
    },
    reviews: [],
    createdAt: '2026-01-05T09:00:00.000Z',
    pendingExpiresAt: '2026-01-06T09:00:00.000Z',
    runs: [],
  };
}

const broken = () => applyBreakGlass(pending(), carol, { reason: 'db down' }, now).request;

describe('applyBreakGlass', () => {
  it('approves the requester own request at once, for the break-glass maximum', () => {
    const { request, events } = applyBreakGlass(pending(), carol, { reason: ' db down ' }, now);
    expect(request.status).toBe('approved');
    expect(request.expiresAt).toBe('2026-01-05T10:10:00.000Z');
    expect(request.reviews).toEqual([
      {
        reviewer: 'carol',
        decision: 'approve',
        reason: 'db down',
        durationSeconds: 3600,
        at: now.toISOString(),
      },
    ]);
    expect(request.breakGlass).toEqual({
      by: 'carol',
      reason: 'db down',
      at: now.toISOString(),
      grantedSeconds: 3600,
      reviewDueAt: '2026-01-06T09:10:00.000Z',
    });
    expect(events.map((e) => e.action)).toEqual(['request.break-glass', 'request.approved']);
    expect(events[0]?.data).toMatchObject({ selfApproved: true, reviewerGroups: ['security'] });
  });

  it('grants a shorter duration when asked', () => {
    const { request } = applyBreakGlass(
      pending(),
      carol,
      { reason: 'x', durationSeconds: 600 },
      now,
    );
    expect(request.expiresAt).toBe('2026-01-05T09:20:00.000Z');
  });

  it('refuses someone outside the break-glass groups', () => {
    expect(codeOf(() => applyBreakGlass(pending(), dave, { reason: 'x' }, now))).toBe(
      'ERR_NOT_ELIGIBLE',
    );
    expect(mayBreakGlass(dave, pending())).toBe(false);
    expect(mayBreakGlass(carol, pending())).toBe(true);
  });

  it('refuses more than the break-glass maximum, even within the rule maximum', () => {
    const input = { reason: 'x', durationSeconds: 3601 };
    expect(codeOf(() => applyBreakGlass(pending(), carol, input, now))).toBe(
      'ERR_DURATION_TOO_LONG',
    );
  });

  it('requires a reason unless the rule asks none', () => {
    expect(codeOf(() => applyBreakGlass(pending(), carol, { reason: '  ' }, now))).toBe(
      'ERR_VALIDATION',
    );
    const lax = pending({ ...glassRule, reasonRequired: false });
    expect(applyBreakGlass(lax, carol, { reason: '' }, now).request.status).toBe('approved');
  });

  it('refuses a rule without break-glass, and a request no longer pending', () => {
    expect(codeOf(() => applyBreakGlass(pending(null), carol, { reason: 'x' }, now))).toBe(
      'ERR_BREAK_GLASS_NOT_ALLOWED',
    );
    expect(codeOf(() => applyBreakGlass(broken(), carol, { reason: 'x' }, now))).toBe(
      'ERR_ALREADY_DECIDED',
    );
  });
});

describe('the review afterwards', () => {
  it('is due until the rule review time, then overdue', () => {
    const request = broken();
    expect(breakGlassReviewState(pending(), now)).toBeUndefined();
    expect(breakGlassReviewState(request, new Date('2026-01-06T09:09:59.999Z'))).toBe('due');
    expect(breakGlassReviewState(request, new Date('2026-01-06T09:10:00.000Z'))).toBe('overdue');
  });

  it('is acknowledged by a reviewer, and then stays so', () => {
    const later = new Date('2026-01-05T12:00:00.000Z');
    const { request, events } = applyBreakGlassReview(
      broken(),
      sam,
      { outcome: 'acknowledge', reason: '' },
      later,
    );
    expect(breakGlassReviewState(request, new Date('2026-02-01T00:00:00.000Z'))).toBe(
      'acknowledged',
    );
    expect(events).toEqual([
      {
        time: later.toISOString(),
        actor: 'sam',
        action: 'break-glass.acknowledged',
        subject: 'req_1',
        data: { reason: '', brokenBy: 'carol', breakGlassReason: 'db down', overdue: false },
      },
    ]);
    expect(
      codeOf(() => applyBreakGlassReview(request, seth, { outcome: 'flag', reason: 'x' }, later)),
    ).toBe('ERR_ALREADY_DECIDED');
  });

  it('is flagged with a reason, also when overdue', () => {
    const late = new Date('2026-01-07T00:00:00.000Z');
    const flag = { outcome: 'flag' as const, reason: 'not an incident' };
    const { request, events } = applyBreakGlassReview(broken(), sam, flag, late);
    expect(breakGlassReviewState(request, late)).toBe('flagged');
    expect(events[0]).toMatchObject({ action: 'break-glass.flagged', data: { overdue: true } });
    expect(
      codeOf(() => applyBreakGlassReview(broken(), sam, { outcome: 'flag', reason: '' }, late)),
    ).toBe('ERR_VALIDATION');
  });

  it('is refused to others than the reviewers, to the one who broke the glass, and on other requests', () => {
    const ack = { outcome: 'acknowledge' as const, reason: '' };
    expect(codeOf(() => applyBreakGlassReview(broken(), dave, ack, now))).toBe('ERR_NOT_ELIGIBLE');
    const bySeth = applyBreakGlass(pending(), seth, { reason: 'x' }, now).request;
    expect(codeOf(() => applyBreakGlassReview(bySeth, seth, ack, now))).toBe('ERR_SELF_REVIEW');
    expect(codeOf(() => applyBreakGlassReview(pending(), sam, ack, now))).toBe('ERR_CONFLICT');
  });
});
