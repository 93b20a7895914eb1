import { ClearanceError } from '@clearance/client';
import { inAnyGroup } from './decision-checks.js';
import type { Actor, AuditEvent, StoredRequest } from './model.js';
import { effectiveStatus, lapseTime } from './request-status.js';

/** Actor recorded for what the service does by itself (expiry sweeps). */
export const SYSTEM_ACTOR = 'system';

type Change = { request: StoredRequest; events: AuditEvent[] };

/**
 * Revokes a pending or active request: allowed to its requester and to its approver groups.
 * The token is dropped; its id stays for the record. Pure.
 */
export function applyRevoke(
  current: StoredRequest,
  actor: Actor,
  reason: string,
  now: Date,
): Change {
  const status = effectiveStatus(current, now);
  if (actor.id !== current.requester && !inAnyGroup(actor, current.requirements.approverGroups)) {
    throw new ClearanceError(
      'ERR_FORBIDDEN',
      `only the requester or members of ${current.requirements.approverGroups.join(' or ')} may revoke this request`,
    );
  }
  if (status !== 'pending' && status !== 'approved') {
    throw new ClearanceError('ERR_ALREADY_DECIDED', `request ${current.id} is already ${status}`);
  }
  const at = now.toISOString();
  const request: StoredRequest = {
    ...current,
    status: 'revoked',
    revokedAt: at,
    revokedBy: actor.id,
  };
  request.revokeReason = reason.trim();
  delete request.token;
  const data: Record<string, unknown> = { reason: request.revokeReason, previousStatus: status };
  if (current.tokenId) data.tokenId = current.tokenId;
  return {
    request,
    events: [{ time: at, actor: actor.id, action: 'request.revoked', subject: current.id, data }],
  };
}

/** Marks a request whose pending time or approval has run out as expired; undefined if it has not. Pure. */
export function applyExpiry(current: Readonly<StoredRequest>, now: Date): Change | undefined {
  if (current.status !== 'pending' && current.status !== 'approved') return undefined;
  if (effectiveStatus(current, now) !== 'expired') return undefined;
  const request: StoredRequest = { ...current, status: 'expired' };
  delete request.token;
  const data = { previousStatus: current.status, expiredAt: lapseTime(current) };
  const event: AuditEvent = {
    time: now.toISOString(),
    actor: SYSTEM_ACTOR,
    action: 'request.expired',
    subject: current.id,
    data,
  };
  return { request, events: [event] };
}
