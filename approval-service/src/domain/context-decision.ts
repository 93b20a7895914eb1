import {
  ClearanceError,
  type ConditionVerdict,
  type FreezePeriod,
  type Requirements,
  type ReviewView,
} from '@clearance/client';
import { grantedSeconds } from './durations.js';
import type { AuditEvent, StoredRequest } from './model.js';
import { approversOf, autoApprovalsOf, progressOf } from './request-status.js';

/** The conditions a rule requires at this moment of a request's life. */
export function conditionsAt(
  requirements: Requirements,
  moment: 'decision' | 'deploy',
): NonNullable<Requirements['conditions']> {
  return (requirements.conditions ?? []).filter((c) => c.at === moment || c.at === 'both');
}

function freezeEnd(period: FreezePeriod): string {
  return new Date(period.end * 1000).toISOString();
}

/**
 * Refuses an approval that the context forbids now: a freeze is on and the rule allows no
 * break-glass (ERR_FROZEN), or a condition the rule requires at decision time does not hold,
 * or got no answer and the rule does not fail open (ERR_CONDITION_FAILED, naming it). Returns
 * the conditions that failed open, for the audit trail. Pure.
 */
export function assertContextAllowsApproval(
  requirements: Requirements,
  frozen: FreezePeriod | undefined,
  verdicts: ReadonlyMap<string, ConditionVerdict>,
): string[] {
  if (frozen && !requirements.breakGlassDuringFreezes) {
    throw new ClearanceError(
      'ERR_FROZEN',
      `the change freeze "${frozen.name}" is on until ${freezeEnd(frozen)}; rule "${requirements.rule}" allows no approval during it`,
      { freeze: frozen.name, until: freezeEnd(frozen) },
    );
  }
  const failedOpen: string[] = [];
  for (const { condition, failOpen } of conditionsAt(requirements, 'decision')) {
    const verdict = verdicts.get(condition);
    if (verdict?.holds === true) continue;
    if (verdict && verdict.holds === undefined && failOpen) {
      failedOpen.push(condition);
      continue;
    }
    throw new ClearanceError(
      'ERR_CONDITION_FAILED',
      `rule "${requirements.rule}" requires the condition "${condition}" to approve: ${verdict?.message ?? 'it was not checked'}`,
      { condition },
    );
  }
  return failedOpen;
}

export interface AutoApprovalOutcome {
  request: StoredRequest;
  events: AuditEvent[];
  /** The condition's approvals met the quorum: the approval still needs its token. */
  approved: boolean;
}

/**
 * Counts a condition's approval (the requester is on call...) toward the quorum of a pending
 * request: a review by the condition, never by a person, of `approvals` of the quorum. Pure.
 */
export function applyAutoApproval(
  current: StoredRequest,
  verdict: ConditionVerdict,
  now: Date,
): AutoApprovalOutcome {
  const auto = current.requirements.autoApprove;
  if (!auto || verdict.holds !== true) return { request: current, events: [], approved: false };
  const at = now.toISOString();
  const approvals = auto.approvals === 'all' ? current.requirements.approvals : auto.approvals;
  const review: ReviewView = {
    reviewer: `condition:${auto.condition}`,
    decision: 'approve',
    reason: verdict.message,
    at,
    condition: auto.condition,
    approvals,
  };
  const request: StoredRequest = { ...current, reviews: [...current.reviews, review] };
  const progress = progressOf(request);
  const events: AuditEvent[] = [
    {
      time: at,
      actor: review.reviewer,
      action: 'review.approve',
      subject: request.id,
      data: {
        condition: auto.condition,
        approvals,
        progress: progress.text,
        reason: review.reason,
      },
    },
  ];
  if (progress.approvals < progress.required) return { request, events, approved: false };
  const seconds = grantedSeconds(
    current.requirements.maxDurationSeconds,
    request.requestedDurationSeconds,
    [],
  );
  request.status = 'approved';
  request.decidedAt = at;
  request.expiresAt = new Date((Math.floor(now.getTime() / 1000) + seconds) * 1000).toISOString();
  events.push({
    time: at,
    actor: review.reviewer,
    action: 'request.approved',
    subject: request.id,
    data: {
      approvers: approversOf(request),
      autoApprovals: autoApprovalsOf(request),
      grantedSeconds: seconds,
      expiresAt: request.expiresAt,
    },
  });
  return { request, events, approved: true };
}
