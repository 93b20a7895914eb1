import {
  ClearanceError,
  describeWindow,
  isInWindow,
  type RequestStatus,
  type Requirements,
  type ReviewView,
} from '@clearance/client';
import type { Actor } from './model.js';
import { isRequester, type RequesterOf } from './pipeline-requester.js';

/** What deciding a request depends on, whether it comes from the store or a view. */
export interface DecidableRequest extends RequesterOf {
  id: string;
  requirements: Requirements;
  reviews: ReviewView[];
  decidedAt?: string;
  revokedAt?: string;
}

/** Whether the actor belongs to at least one of the groups. */
export function inAnyGroup(actor: Actor, groups: readonly string[]): boolean {
  return groups.some((g) => actor.groups.includes(g));
}

/** Refuses a decision on a request that is no longer pending (status as of now). */
export function assertStillPending(
  request: DecidableRequest,
  status: RequestStatus,
  lapse: string,
): void {
  if (status === 'pending') return;
  if (status === 'expired' && request.decidedAt === undefined) {
    throw new ClearanceError(
      'ERR_REQUEST_EXPIRED',
      `request ${request.id} expired undecided at ${lapse}`,
    );
  }
  const state = status === 'expired' ? 'approved and has since expired' : status;
  throw new ClearanceError('ERR_ALREADY_DECIDED', `request ${request.id} is already ${state}`);
}

/** Refuses an actor who may not decide this request now; the first reason found wins. */
export function assertMayDecide(request: DecidableRequest, actor: Actor, now: Date): void {
  const { requirements } = request;
  if (isRequester(actor, request)) {
    throw new ClearanceError(
      'ERR_SELF_REVIEW',
      actor.id === request.requester
        ? 'you opened this request; someone else must decide it'
        : `you triggered the pipeline that opened this request (${request.pipeline?.repository ?? ''}); someone else must decide it`,
    );
  }
  if (!inAnyGroup(actor, requirements.approverGroups)) {
    throw new ClearanceError(
      'ERR_NOT_ELIGIBLE',
      `only members of ${requirements.approverGroups.join(' or ')} may decide this request (rule "${requirements.rule}")`,
    );
  }
  if (request.reviews.some((r) => r.reviewer === actor.id)) {
    throw new ClearanceError(
      'ERR_ALREADY_VOTED',
      'you already reviewed this request; a second vote does not count',
    );
  }
  if (requirements.window && !isInWindow(requirements.window, now)) {
    throw new ClearanceError(
      'ERR_OUTSIDE_WINDOW',
      `rule "${requirements.rule}" allows decisions only within ${describeWindow(requirements.window)}`,
    );
  }
}
