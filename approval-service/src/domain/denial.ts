import { ClearanceError } from '@clearance/client';
import { inAnyGroup } from './decision-checks.js';
import { SYSTEM_ACTOR } from './lifecycle.js';
import type { Actor, AuditEvent, StoredRequest } from './model.js';
import { effectiveStatus } from './request-status.js';

/**
 * A denial sticks to the change it denied (stack, URN, policy, fingerprint): the same change
 * cannot be asked for again under a new id until an approver reopens the denied request, or
 * until `denialCooldownSeconds` (service config) have passed since the denial. Without a
 * cooldown only reopening lifts it. Pure.
 */

type DenialFields = Pick<
  StoredRequest,
  'status' | 'pendingExpiresAt' | 'expiresAt' | 'decidedAt' | 'reopenedAt'
>;

/** When a denial lapses by itself; undefined without a cooldown or for a request not denied. */
export function denialEndsAt(
  request: DenialFields,
  cooldownSeconds: number | undefined,
): string | undefined {
  if (request.status !== 'denied' || cooldownSeconds === undefined || !request.decidedAt) {
    return undefined;
  }
  return new Date(Date.parse(request.decidedAt) + cooldownSeconds * 1000).toISOString();
}

/** Whether the request is a denial that still stands at `now`. */
export function denialStands(
  request: DenialFields,
  now: Date,
  cooldownSeconds: number | undefined,
): boolean {
  if (effectiveStatus(request, now) !== 'denied' || request.reopenedAt !== undefined) return false;
  const ends = denialEndsAt(request, cooldownSeconds);
  return ends === undefined || now.getTime() < Date.parse(ends);
}

/**
 * What opening the change of `latest` (its newest request) again requires: refuses with
 * ERR_DENIED while its denial stands; returns the audit event of a denial whose cooldown has
 * ended (written with the new request), or nothing.
 */
export function checkDenial(
  latest: StoredRequest | undefined,
  now: Date,
  cooldownSeconds: number | undefined,
): AuditEvent | undefined {
  if (!latest || latest.status !== 'denied' || latest.reopenedAt !== undefined) return undefined;
  const ends = denialEndsAt(latest, cooldownSeconds);
  if (denialStands(latest, now, cooldownSeconds)) {
    const denial = latest.reviews.find((r) => r.decision === 'deny');
    const by = denial ? ` by ${denial.reviewer}` : '';
    const why = denial?.reason ? ` ("${denial.reason}")` : '';
    const until = ends ? `, or until ${ends}` : '';
    throw new ClearanceError(
      'ERR_DENIED',
      `this change was denied${by}${why} in request ${latest.id}; it stays denied until an approver reopens that request${until}`,
      { requestId: latest.id },
    );
  }
  return {
    time: now.toISOString(),
    actor: SYSTEM_ACTOR,
    action: 'request.denial-lapsed',
    subject: latest.id,
    data: { deniedAt: latest.decidedAt, cooldownSeconds, endedAt: ends },
  };
}

/**
 * Lifts the denial of a denied request, so that the same change may be asked for again (by a
 * new request). Allowed to the members of the request's approver groups other than its
 * requester; the request stays denied, with who reopened it, when and why. Pure.
 */
export function applyReopen(
  current: StoredRequest,
  actor: Actor,
  reason: string,
  now: Date,
): { request: StoredRequest; events: AuditEvent[] } {
  const { requirements } = current;
  if (actor.id === current.requester) {
    throw new ClearanceError(
      'ERR_SELF_REVIEW',
      'you opened this request; another approver must reopen it',
    );
  }
  if (!inAnyGroup(actor, requirements.approverGroups)) {
    throw new ClearanceError(
      'ERR_NOT_ELIGIBLE',
      `only members of ${requirements.approverGroups.join(' or ')} may reopen this request (rule "${requirements.rule}")`,
    );
  }
  const status = effectiveStatus(current, now);
  if (status !== 'denied') {
    throw new ClearanceError(
      'ERR_CONFLICT',
      `only a denied request can be reopened; request ${current.id} is ${status}`,
    );
  }
  if (current.reopenedAt !== undefined) {
    throw new ClearanceError(
      'ERR_CONFLICT',
      `request ${current.id} was already reopened by ${current.reopenedBy ?? 'someone'} at ${current.reopenedAt}`,
    );
  }
  const trimmed = reason.trim();
  if (requirements.reasonRequired && trimmed === '') {
    throw new ClearanceError(
      'ERR_VALIDATION',
      `reason: rule "${requirements.rule}" requires a reason`,
    );
  }
  const at = now.toISOString();
  const request: StoredRequest = {
    ...current,
    reopenedAt: at,
    reopenedBy: actor.id,
    reopenReason: trimmed,
  };
  const deniedBy = current.reviews.find((r) => r.decision === 'deny')?.reviewer;
  const data: Record<string, unknown> = { reason: trimmed, fingerprint: current.fingerprint };
  if (deniedBy) data.deniedBy = deniedBy;
  return {
    request,
    events: [{ time: at, actor: actor.id, action: 'request.reopened', subject: current.id, data }],
  };
}
