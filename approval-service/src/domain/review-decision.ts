import { ClearanceError, type ReviewView } from '@clearance/client';
import { assertMayDecide, assertStillPending } from './decision-checks.js';
import { assertDurationAllowed, grantedSeconds } from './durations.js';
import type { Actor, AuditEvent, StoredRequest } from './model.js';
import { approversOf, effectiveStatus, lapseTime, progressOf } from './request-status.js';

export interface ReviewInput {
  decision: 'approve' | 'deny';
  reason: string;
  durationSeconds?: number | undefined;
}

export interface ReviewOutcome {
  request: StoredRequest;
  events: AuditEvent[];
  /** Set when this review met the quorum: the approval still needs its token. */
  approved: boolean;
}

/**
 * Applies one review to a pending request, enforcing the rule the request was created under.
 * Pure: returns the new request and its audit events, or throws a ClearanceError.
 */
export function applyReview(
  current: StoredRequest,
  reviewer: Actor,
  input: ReviewInput,
  now: Date,
): ReviewOutcome {
  assertStillPending(current, effectiveStatus(current, now), lapseTime(current));
  assertMayDecide(current, reviewer, now);
  const { requirements } = current;
  const reason = input.reason.trim();
  if (requirements.reasonRequired && reason === '') {
    throw new ClearanceError(
      'ERR_VALIDATION',
      `reason: rule "${requirements.rule}" requires a reason`,
    );
  }
  if (input.decision === 'approve') assertDurationAllowed(input.durationSeconds, requirements);
  const at = now.toISOString();
  const review: ReviewView = { reviewer: reviewer.id, decision: input.decision, reason, at };
  if (input.durationSeconds !== undefined) {
    review.durationSeconds = input.durationSeconds;
  }
  const request: StoredRequest = { ...current, reviews: [...current.reviews, review] };
  const progress = progressOf(request);
  const events: AuditEvent[] = [
    {
      time: at,
      actor: reviewer.id,
      action: input.decision === 'approve' ? 'review.approve' : 'review.deny',
      subject: request.id,
      data: {
        reason,
        progress: progress.text,
        ...(review.durationSeconds === undefined
          ? {}
          : { durationSeconds: review.durationSeconds }),
      },
    },
  ];
  if (input.decision === 'deny') {
    request.status = 'denied';
    request.decidedAt = at;
    events.push({
      time: at,
      actor: reviewer.id,
      action: 'request.denied',
      subject: request.id,
      data: { reason },
    });
    return { request, events, approved: false };
  }
  if (progress.approvals < progress.required) return { request, events, approved: false };
  const approvers = approversOf(request);
  const seconds = grantedSeconds(
    requirements.maxDurationSeconds,
    request.requestedDurationSeconds,
    request.reviews.filter((r) => r.decision === 'approve').map((r) => r.durationSeconds),
  );
  const start = Math.floor(now.getTime() / 1000);
  request.status = 'approved';
  request.decidedAt = at;
  request.expiresAt = new Date((start + seconds) * 1000).toISOString();
  events.push({
    time: at,
    actor: reviewer.id,
    action: 'request.approved',
    subject: request.id,
    data: { approvers, grantedSeconds: seconds, expiresAt: request.expiresAt },
  });
  return { request, events, approved: true };
}
