import type { AuditHead } from '../domain/audit-chain.js';
import type { AuditEntry, StoredRequest } from '../domain/model.js';
import { type JournalRecord, formatJournalLine } from './journal.js';
import { storedRequestSchema } from './store-document.js';

const requestStart = '{"request":';
const auditKey = ',"audit":';

/** The request a line begins with, and the rest of the line after the comma ending it. */
function splitRequest(
  tail: string,
): { request: StoredRequest; json: string; rest: string } | undefined {
  // A proper prefix of a JSON object never parses: the first `,"audit":` before which the
  // request parses whole ends it, whatever its own members or the entries after it hold.
  for (let at = tail.indexOf(auditKey); at !== -1; at = tail.indexOf(auditKey, at + 1)) {
    const json = tail.slice(requestStart.length, at);
    let value: unknown;
    try {
      value = JSON.parse(json);
    } catch {
      continue;
    }
    const parsed = storedRequestSchema.safeParse(value);
    if (!parsed.success) return undefined;
    return { request: parsed.data as unknown as StoredRequest, json, rest: tail.slice(at + 1) };
  }
  return undefined;
}

/**
 * The record of a last journal line that lost its end, when what is left names the change
 * fully: the request whole (if the line has one) and the audit `seq` whole. The line may end
 * at `head` (the committed head) or at one of `pending`, the whole audit entries that
 * `audit.jsonl` holds after it; what is left must be the beginning of the line that change
 * wrote, as this code writes it or as the older format did (without the entries). Returns the
 * record, with the entries it appended, and its whole line; undefined when the line cannot be
 * rebuilt.
 */
export function rebuildJournalTail(
  tail: string,
  head: AuditHead,
  pending: readonly AuditEntry[],
): { record: JournalRecord; line: string } | undefined {
  let request: { request: StoredRequest; json: string } | undefined;
  let rest: string;
  if (tail.startsWith(requestStart)) {
    const split = splitRequest(tail);
    if (!split) return undefined;
    request = split;
    rest = split.rest;
  } else if (tail.startsWith('{"audit":')) {
    rest = tail.slice(1);
  } else {
    return undefined;
  }
  const match = /^"audit":\{"seq":(\d+),/.exec(rest);
  if (!match) return undefined;
  const seq = Number(match[1]);
  const entries = pending.filter((e) => e.seq <= seq);
  const last = entries.at(-1) ?? head;
  if (last.seq !== seq) return undefined;
  const audit = { seq: last.seq, hash: last.hash };
  const line = formatJournalLine(request?.json, audit, entries);
  const older = formatJournalLine(request?.json, audit, undefined);
  if (!line.startsWith(tail) && !older.startsWith(tail)) return undefined;
  return {
    record: request ? { request: request.request, audit, entries } : { audit, entries },
    line,
  };
}
