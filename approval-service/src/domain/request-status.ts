import type { RequestStatus } from '@clearance/client';
import type { StoredRequest } from './model.js';

type StatusFields = Pick<StoredRequest, 'status' | 'pendingExpiresAt' | 'expiresAt'>;

/**
 * The status as of `now`: a pending request past its pending expiry, or an approval past
 * its end, is expired even before the sweep has saved it so.
 */
export function effectiveStatus(request: StatusFields, now: Date): RequestStatus {
  const t = now.getTime();
  if (request.status === 'pending' && t >= lapseMs(request, request.pendingExpiresAt)) {
    return 'expired';
  }
  if (
    request.status === 'approved' &&
    (!request.expiresAt || t >= lapseMs(request, request.expiresAt))
  ) {
    return 'expired';
  }
  return request.status;
}

/** The last lapse time parsed for each request object: a check reads thousands again and again. */
const parsedLapses = new WeakMap<object, { iso: string; ms: number }>();

/** `Date.parse(iso)`, remembered for `request` while that is the time it holds. */
function lapseMs(request: object, iso: string): number {
  const parsed = parsedLapses.get(request);
  if (parsed?.iso === iso) return parsed.ms;
  const ms = Date.parse(iso);
  parsedLapses.set(request, { iso, ms });
  return ms;
}

/** When the request lapsed or will lapse: the approval's end once approved, else the pending expiry. */
export function lapseTime(request: StatusFields): string {
  return request.expiresAt ?? request.pendingExpiresAt;
}

/** Distinct people who approved, in the order they did; a condition's approval is none of them. */
export function approversOf(request: Pick<StoredRequest, 'reviews'>): string[] {
  const ids: string[] = [];
  for (const review of request.reviews) {
    if (review.condition !== undefined) continue;
    if (review.decision === 'approve' && !ids.includes(review.reviewer)) ids.push(review.reviewer);
  }
  return ids;
}

/** Approvals that conditions gave (on-call...), each with how many of the quorum it counts for. */
export function autoApprovalsOf(
  request: Pick<StoredRequest, 'reviews'>,
): { condition: string; approvals: number }[] {
  return request.reviews.flatMap((r) =>
    r.condition !== undefined && r.decision === 'approve'
      ? [{ condition: r.condition, approvals: r.approvals ?? 1 }]
      : [],
  );
}

/** Quorum progress, e.g. `{approvals: 1, required: 2, text: "1 of 2 managers"}`. */
export function progressOf(request: Pick<StoredRequest, 'reviews' | 'requirements'>): {
  approvals: number;
  required: number;
  text: string;
} {
  const auto = autoApprovalsOf(request).reduce((sum, a) => sum + a.approvals, 0);
  const approvals = Math.min(approversOf(request).length + auto, request.requirements.approvals);
  const required = request.requirements.approvals;
  const groups = request.requirements.approverGroups.join(' or ');
  return { approvals, required, text: `${approvals} of ${required} ${groups}`.trimEnd() };
}
