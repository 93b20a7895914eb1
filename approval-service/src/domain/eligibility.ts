import { isClearanceError, type RequestView } from '@clearance/client';
import { assertMayDecide, assertStillPending } from './decision-checks.js';
import type { Actor, StoredRequest } from './model.js';
import { effectiveStatus, lapseTime } from './request-status.js';

/** Whether an actor may decide a request, and if not, why not (shown in the console). */
export type Eligibility = { canDecide: true } | { canDecide: false; why: string };

function statusAndLapse(request: RequestView | StoredRequest, now: Date) {
  if ('pendingExpiresAt' in request) {
    return { status: effectiveStatus(request, now), lapse: lapseTime(request) };
  }
  const lapsed = now.getTime() >= Date.parse(request.expiresAt);
  const stale = (request.status === 'pending' || request.status === 'approved') && lapsed;
  return { status: stale ? ('expired' as const) : request.status, lapse: request.expiresAt };
}

/** Whether the actor may decide the request now, and if not, why not (the same checks a review meets). */
export function eligibility(
  actor: Actor,
  request: RequestView | StoredRequest,
  now: Date,
): Eligibility {
  try {
    const { status, lapse } = statusAndLapse(request, now);
    assertStillPending(request, status, lapse);
    assertMayDecide(request, actor, now);
    return { canDecide: true };
  } catch (err) {
    if (isClearanceError(err)) return { canDecide: false, why: err.message };
    throw err;
  }
}
