import type { CheckItem, CheckResult, RequestView } from '@clearance/client';
import { denialEndsAt, denialStands } from '../domain/denial.js';
import type { StoredRequest } from '../domain/model.js';
import { effectiveStatus, lapseTime, progressOf } from '../domain/request-status.js';

/** Console link of a request. */
export function requestUrl(publicUrl: string, id: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/requests/${encodeURIComponent(id)}`;
}

/**
 * What callers see of a stored request as of `now` (status effective, token only while active);
 * `denialCooldownSeconds` (service config) dates when a standing denial lapses.
 */
export function toRequestView(
  stored: StoredRequest,
  publicUrl: string,
  now: Date,
  denialCooldownSeconds?: number,
): RequestView {
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
  if (stored.pipeline) view.pipeline = stored.pipeline;
  if (stored.contextUrl !== undefined) view.contextUrl = stored.contextUrl;
  if (stored.propertyNames !== undefined) view.propertyNames = stored.propertyNames;
  if (stored.previewStates !== undefined) view.previewStates = stored.previewStates;
  if (stored.requestedDurationSeconds !== undefined) {
    view.requestedDurationSeconds = stored.requestedDurationSeconds;
  }
  if (stored.decidedAt) view.decidedAt = stored.decidedAt;
  if (stored.revokedAt) view.revokedAt = stored.revokedAt;
  if (stored.revokedBy) view.revokedBy = stored.revokedBy;
  if (stored.reopenedAt) {
    view.reopenedAt = stored.reopenedAt;
    view.reopenedBy = stored.reopenedBy ?? '';
    view.reopenReason = stored.reopenReason ?? '';
  } else {
    const ends = denialEndsAt(stored, denialCooldownSeconds);
    if (ends) view.denialEndsAt = ends;
  }
  if (status === 'approved' && stored.token) view.token = stored.token;
  if (stored.breakGlass) view.breakGlass = stored.breakGlass;
  return view;
}

/**
 * The answer to one check item, from the newest request for it (if any). A denial that no
 * longer stands (reopened, or past `denialCooldownSeconds`) answers `none`: a new request may
 * be opened.
 */
export function checkResultOf(
  item: CheckItem,
  stored: Readonly<StoredRequest> | undefined,
  publicUrl: string,
  now: Date,
  denialCooldownSeconds?: number,
): CheckResult {
  const { urn, policy, fingerprint } = item;
  if (!stored) return { urn, policy, fingerprint, status: 'none' };
  if (stored.status === 'denied' && !denialStands(stored, now, denialCooldownSeconds)) {
    return { urn, policy, fingerprint, status: 'none' };
  }
  const id = stored.id;
  const status = effectiveStatus(stored, now);
  if (status === 'approved') {
    const { token, expiresAt } = stored;
    return token && expiresAt
      ? { urn, policy, fingerprint, status, id, token, expiresAt }
      : { urn, policy, fingerprint, status: 'none' };
  }
  const url = requestUrl(publicUrl, id);
  switch (status) {
    case 'pending':
      return { urn, policy, fingerprint, status, id, url, progress: progressOf(stored).text };
    case 'denied': {
      const denial = stored.reviews.find((r) => r.decision === 'deny');
      const deniedBy = denial?.reviewer ?? '';
      return { urn, policy, fingerprint, status, id, url, deniedBy, reason: denial?.reason ?? '' };
    }
    case 'expired':
      return { urn, policy, fingerprint, status, id, url, expiredAt: lapseTime(stored) };
    case 'revoked': {
      const { revokedBy = '', revokedAt = '' } = stored;
      return { urn, policy, fingerprint, status, id, url, revokedBy, revokedAt };
    }
  }
}
