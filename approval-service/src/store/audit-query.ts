import type { AuditEntry, AuditFilter } from '../domain/model.js';

function timeOf(iso: string): number {
  return Date.parse(iso);
}

/** Collects the entries offered that match a filter, until it holds `limit` of them. */
export interface AuditMatcher {
  /** Keeps `entry` if it matches; answers whether more entries are wanted. */
  offer(entry: AuditEntry): boolean;
  readonly matches: AuditEntry[];
}

/**
 * A matcher for entries offered oldest first: they must meet every given criterion. `since`
 * is inclusive, `until` exclusive; `limit` keeps the first (oldest) matches.
 */
export function auditMatcher(filter: AuditFilter = {}): AuditMatcher {
  const since = filter.since === undefined ? undefined : timeOf(filter.since);
  const until = filter.until === undefined ? undefined : timeOf(filter.until);
  const limit = filter.limit ?? Number.POSITIVE_INFINITY;
  const matches: AuditEntry[] = [];
  return {
    matches,
    offer(entry) {
      if (matches.length >= limit) return false;
      const time = timeOf(entry.time);
      if (since !== undefined && !(time >= since)) return true;
      if (until !== undefined && !(time < until)) return true;
      if (filter.actor !== undefined && entry.actor !== filter.actor) return true;
      if (filter.action !== undefined && entry.action !== filter.action) return true;
      if (filter.subject !== undefined && entry.subject !== filter.subject) return true;
      matches.push(entry);
      return matches.length < limit;
    },
  };
}

/** The entries matching `filter` (see `auditMatcher`), oldest first. */
export function filterAudit(entries: Iterable<AuditEntry>, filter: AuditFilter = {}): AuditEntry[] {
  const matcher = auditMatcher(filter);
  for (const entry of entries) if (!matcher.offer(entry)) break;
  return matcher.matches;
}
