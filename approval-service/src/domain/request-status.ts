import type { RequestStatus } from '@clearance/client';
import type { StoredRequest } from './model.js';

type StatusFields = Pick<StoredRequest, 'status' | 'pendingExpiresAt' | 'expiresAt'>;

/**
 * The status as of `now`: a pending request past its pending expiry, or an approval past
 * its end, is expired even before the sweep has saved it so.
 */
export function effectiveStatus(request: StatusFields, now: Date): RequestStatus {
  const t = now.getTime();
  if (request.status === 'pending' && t >= Date.parse(request.pendingExpiresAt)) return 'expired';
  if (request.status === 'approved' && (!request.expiresAt || t >= Date.parse(request.expiresAt))) {
    return 'expired';
  }
  return request.status;
}

/** When the request lapsed or will lapse: the approval's end once approved, else the pending expiry. */
export function lapseTime(request: StatusFields): string {
  return request.expiresAt ?? request.pendingExpiresAt;
}

/** Distinct reviewers who approved, in the order they did. */
export function approversOf(request: Pick<StoredRequest, 'reviews'>): string[] {
  const ids: string[] = [];
  for (const review of request.reviews) {
    if (review.decision === 'approve' && !ids.includes(review.reviewer)) ids.push(review.reviewer);
  }
  return ids;
}

/** Quorum progress, e.g. `{approvals: 1, required: 2, text: "1 of 2 managers"}`. */
export function progressOf(request: Pick<StoredRequest, 'reviews' | 'requirements'>): {
  approvals: number;
  required: number;
  text: string;
} {
  const approvals = approversOf(request).length;
  const required = request.requirements.approvals;
  const groups = request.requirements.approverGroups.join(' or ');
  return { approvals, required, text: `${approvals} of ${required} ${groups}`.trimEnd() };
}
