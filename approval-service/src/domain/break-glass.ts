import {
  ClearanceError,
  type BreakGlassOutcome,
  type BreakGlassRequirements,
  type ReviewView,
} from '@clearance/client';
import { assertStillPending, inAnyGroup } from './decision-checks.js';
import type { Actor, AuditEvent, StoredRequest } from './model.js';
import { effectiveStatus, lapseTime } from './request-status.js';

export interface BreakGlassInput {
  reason: string;
  durationSeconds?: number | undefined;
}

/** Where a break-glass approval stands with its reviewers as of now. */
export type BreakGlassReviewState = 'due' | 'overdue' | BreakGlassOutcome;

function allowed(request: StoredRequest): BreakGlassRequirements {
  const rule = request.requirements.breakGlass;
  if (!rule) {
    throw new ClearanceError(
      'ERR_BREAK_GLASS_NOT_ALLOWED',
      `rule "${request.requirements.rule}" allows no break-glass`,
    );
  }
  return rule;
}

/** Whether the actor may break the glass on this request's rule (for the console). */
export function mayBreakGlass(actor: Actor, request: Pick<StoredRequest, 'requirements'>): boolean {
  const rule = request.requirements.breakGlass;
  return rule !== undefined && inAnyGroup(actor, rule.groups);
}

/**
 * Approves a pending request at once by break-glass: the actor, who may be its requester, is
 * in one of the rule's break-glass groups, gives a reason (unless the rule asks none) and at
 * most the rule's break-glass duration (its maximum when none is asked). Pure: returns the
 * approved request and its audit events (the approval still needs its token).
 */
export function applyBreakGlass(
  current: StoredRequest,
  actor: Actor,
  input: BreakGlassInput,
  now: Date,
): { request: StoredRequest; events: AuditEvent[] } {
  assertStillPending(current, effectiveStatus(current, now), lapseTime(current));
  const rule = allowed(current);
  const name = current.requirements.rule;
  if (!inAnyGroup(actor, rule.groups)) {
    throw new ClearanceError(
      'ERR_NOT_ELIGIBLE',
      `only members of ${rule.groups.join(' or ')} may break the glass under rule "${name}"`,
    );
  }
  const reason = input.reason.trim();
  if (rule.reasonRequired && reason === '') {
    throw new ClearanceError(
      'ERR_VALIDATION',
      `reason: break-glass under rule "${name}" requires a reason`,
    );
  }
  const seconds = input.durationSeconds ?? rule.maxDurationSeconds;
  if (seconds > rule.maxDurationSeconds) {
    throw new ClearanceError(
      'ERR_DURATION_TOO_LONG',
      `durationSeconds: ${seconds} s is more than break-glass under rule "${name}" allows (at most ${rule.maxDurationSeconds} s); nothing was recorded`,
      { maxDurationSeconds: rule.maxDurationSeconds, rule: name },
    );
  }
  const at = now.toISOString();
  const start = Math.floor(now.getTime() / 1000);
  const expiresAt = new Date((start + seconds) * 1000).toISOString();
  const reviewDueAt = new Date((start + rule.reviewWithinSeconds) * 1000).toISOString();
  const review: ReviewView = {
    reviewer: actor.id,
    decision: 'approve',
    reason,
    durationSeconds: seconds,
    at,
  };
  const request: StoredRequest = {
    ...current,
    reviews: [...current.reviews, review],
    status: 'approved',
    decidedAt: at,
    expiresAt,
    breakGlass: { by: actor.id, reason, at, grantedSeconds: seconds, reviewDueAt },
  };
  const events: AuditEvent[] = [
    {
      time: at,
      actor: actor.id,
      action: 'request.break-glass',
      subject: request.id,
      data: {
        reason,
        grantedSeconds: seconds,
        reviewerGroups: rule.reviewerGroups,
        reviewDueAt,
        selfApproved: actor.id === current.requester,
      },
    },
    {
      time: at,
      actor: actor.id,
      action: 'request.approved',
      subject: request.id,
      data: { approvers: [actor.id], grantedSeconds: seconds, expiresAt, breakGlass: true },
    },
  ];
  return { request, events };
}

/** Where the request's break-glass stands with its reviewers; undefined when there was none. */
export function breakGlassReviewState(
  request: Pick<StoredRequest, 'breakGlass'>,
  now: Date,
): BreakGlassReviewState | undefined {
  const glass = request.breakGlass;
  if (!glass) return undefined;
  if (glass.review) return glass.review.outcome;
  return now.getTime() >= Date.parse(glass.reviewDueAt) ? 'overdue' : 'due';
}

/** Whether the actor is one of the reviewers the request's break-glass needs. */
export function mayReviewBreakGlass(
  actor: Actor,
  request: Pick<StoredRequest, 'requirements' | 'breakGlass'>,
): boolean {
  const rule = request.requirements.breakGlass;
  return (
    rule !== undefined &&
    inAnyGroup(actor, rule.reviewerGroups) &&
    request.breakGlass?.by !== actor.id
  );
}

/**
 * Records the review afterwards of a break-glass approval: a member of the rule's reviewer
 * groups, never the one who broke the glass, acknowledges it or flags it (a flag needs a
 * reason). Once reviewed it stays so; overdue reviews are still taken.
 */
export function applyBreakGlassReview(
  current: StoredRequest,
  actor: Actor,
  input: { outcome: 'acknowledge' | 'flag'; reason: string },
  now: Date,
): { request: StoredRequest; events: AuditEvent[] } {
  const glass = current.breakGlass;
  if (!glass) {
    throw new ClearanceError(
      'ERR_CONFLICT',
      `request ${current.id} was not approved by break-glass`,
    );
  }
  if (glass.review) {
    throw new ClearanceError(
      'ERR_ALREADY_DECIDED',
      `the break-glass of request ${current.id} was already ${glass.review.outcome} by ${glass.review.reviewer}`,
    );
  }
  const groups = current.requirements.breakGlass?.reviewerGroups ?? [];
  if (actor.id === glass.by) {
    throw new ClearanceError('ERR_SELF_REVIEW', 'you broke the glass; someone else must review it');
  }
  if (!mayReviewBreakGlass(actor, current)) {
    throw new ClearanceError(
      'ERR_NOT_ELIGIBLE',
      `only members of ${groups.join(' or ')} may review this break-glass`,
    );
  }
  const reason = input.reason.trim();
  if (input.outcome === 'flag' && reason === '') {
    throw new ClearanceError('ERR_VALIDATION', 'reason: flagging a break-glass requires a reason');
  }
  const at = now.toISOString();
  const outcome: BreakGlassOutcome = input.outcome === 'flag' ? 'flagged' : 'acknowledged';
  const overdue = now.getTime() >= Date.parse(glass.reviewDueAt);
  const request: StoredRequest = {
    ...current,
    breakGlass: { ...glass, review: { reviewer: actor.id, outcome, reason, at } },
  };
  const events: AuditEvent[] = [
    {
      time: at,
      actor: actor.id,
      action: outcome === 'flagged' ? 'break-glass.flagged' : 'break-glass.acknowledged',
      subject: current.id,
      data: { reason, brokenBy: glass.by, breakGlassReason: glass.reason, overdue },
    },
  ];
  return { request, events };
}
