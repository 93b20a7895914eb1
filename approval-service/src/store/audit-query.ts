import type { AuditEntry, AuditFilter } from '../domain/model.js';

function timeOf(iso: string): number {
  return Date.parse(iso);
}

/**
 * Entries matching every given criterion, oldest first. `since` is inclusive, `until`
 * exclusive; `limit` keeps the first (oldest) matches.
 */
export function filterAudit(entries: Iterable<AuditEntry>, filter: AuditFilter = {}): AuditEntry[] {
  const since = filter.since === undefined ? undefined : timeOf(filter.since);
  const until = filter.until === undefined ? undefined : timeOf(filter.until);
  const limit = filter.limit ?? Number.POSITIVE_INFINITY;
  const out: AuditEntry[] = [];
  if (limit <= 0) return out;
  for (const entry of entries) {
    const time = timeOf(entry.time);
    if (since !== undefined && !(time >= since)) continue;
    if (until !== undefined && !(time < until)) continue;
    if (filter.actor !== undefined && entry.actor !== filter.actor) continue;
    if (filter.action !== undefined && entry.action !== filter.action) continue;
    if (filter.subject !== undefined && entry.subject !== filter.subject) continue;
    out.push(entry);
    if (out.length >= limit) break;
  }
  return out;
}
