import type { CheckItem, CheckResult, RequestView } from '../client/index.js';
import type { StoredRequest } from '../domain/model.js';
import { effectiveStatus, lapseTime, progressOf } from '../domain/request-status.js';

/** Console link of a request. */
export function requestUrl(publicUrl: string, id: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/requests/${encodeURIComponent(id)}`;
}

/** What callers see of a stored request as of `now` (status effective, token only while active). */
export function toRequestView(stored: StoredRequest, publicUrl: string, now: Date): RequestView {
  const status = effectiveStatus(stored, now);
  const view: RequestView = {
    id: stored.id,
    status,
    url: requestUrl(publicUrl, stored.id),
    stack: stored.stack,
    urn: stored.urn,
    type: stored.type,
    policy: stored.policy,
    fingerprint: stored.fingerprint,
    summary: stored.summary,
    reason: stored.reason,
    requester: stored.requester,
    createdAt: stored.createdAt,
    expiresAt: lapseTime(stored),
    requirements: stored.requirements,
    progress: progressOf(stored),
    reviews: stored.reviews,
    runs: stored.runs,
  };
  if (stored.material !== undefined) view.material = stored.material;
  if (stored.requestedDurationSeconds !== undefined) {
    view.requestedDurationSeconds = stored.requestedDurationSeconds;
  }
  if (stored.decidedAt) view.decidedAt = stored.decidedAt;
  if (stored.revokedAt) view.revokedAt = stored.revokedAt;
  if (stored.revokedBy) view.revokedBy = stored.revokedBy;
  if (status === 'approved' && stored.token) view.token = stored.token;
  return view;
}

/** The answer to one check item, from the newest request for it (if any). */
export function checkResultOf(
  item: CheckItem,
  stored: StoredRequest | undefined,
  publicUrl: string,
  now: Date,
): CheckResult {
  const key = { urn: item.urn, policy: item.policy, fingerprint: item.fingerprint };
  if (!stored) return { ...key, status: 'none' };
  const id = stored.id;
  const url = requestUrl(publicUrl, id);
  const status = effectiveStatus(stored, now);
  switch (status) {
    case 'approved':
      if (stored.token && stored.expiresAt) {
        return { ...key, status, id, token: stored.token, expiresAt: stored.expiresAt };
      }
      return { ...key, status: 'none' };
    case 'pending':
      return { ...key, status, id, url, progress: progressOf(stored).text };
    case 'denied': {
      const denial = stored.reviews.find((r) => r.decision === 'deny');
      return {
        ...key,
        status,
        id,
        url,
        deniedBy: denial?.reviewer ?? '',
        reason: denial?.reason ?? '',
      };
    }
    case 'expired':
      return { ...key, status, id, url, expiredAt: lapseTime(stored) };
    case 'revoked':
      return {
        ...key,
        status,
        id,
        url,
        revokedBy: stored.revokedBy ?? '',
        revokedAt: stored.revokedAt ?? '',
      };
  }
}
