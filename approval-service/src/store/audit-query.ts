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
 * A matcher for entries offered in order: they must meet every given criterion. `since` is
 * inclusive, `until` exclusive; `limit` keeps the first matches offered (`newest` is not its
 * concern: see `filterAudit`).
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

/** The entries matching `filter` (see `auditMatcher`; `newest` keeps the last ones), oldest first. */
export function filterAudit(
  entries: readonly AuditEntry[],
  filter: AuditFilter = {},
): AuditEntry[] {
  const { newest, ...rest } = filter;
  if (newest !== undefined) return newestMatches(entries.toReversed(), rest, newest);
  const matcher = auditMatcher(rest);
  for (const entry of entries) if (!matcher.offer(entry)) break;
  return matcher.matches;
}

/** The first `count` matches of entries offered newest first, answered oldest first. */
export function newestMatches(
  newestFirst: Iterable<AuditEntry>,
  filter: Omit<AuditFilter, 'newest' | 'limit'>,
  count: number,
): AuditEntry[] {
  const matcher = auditMatcher({ ...filter, limit: count });
  for (const entry of newestFirst) if (!matcher.offer(entry)) break;
  return matcher.matches.reverse();
}
