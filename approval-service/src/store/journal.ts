import { z } from 'zod';
import type { AuditHead } from '../domain/audit-chain.js';
import { ClearanceError } from '@clearance/client';
import type { StoredRequest } from '../domain/model.js';
import { DB_FILE, auditHeadSchema, storedRequestSchema } from './store-document.js';

/**
 * One committed change, as a line of `journal.jsonl`: the request it saved (if any, in full)
 * and the head of the audit trail after it.
 */
export interface JournalRecord {
  request?: StoredRequest;
  audit: AuditHead;
}

const recordSchema = z
  .object({ request: storedRequestSchema.optional(), audit: auditHeadSchema })
  .strict();

/** The line (with its newline) recording a change; `requestJson` is the saved request as JSON. */
export function formatJournalLine(requestJson: string | undefined, head: AuditHead): string {
  const audit = JSON.stringify({ seq: head.seq, hash: head.hash });
  return requestJson === undefined
    ? `{"audit":${audit}}\n`
    : `{"request":${requestJson},"audit":${audit}}\n`;
}

export interface JournalContent {
  /** The committed records, oldest first. */
  records: JournalRecord[];
  /** Byte length of their lines: where the next append goes. */
  size: number;
  /** Bytes after them: a last line without its newline (see `rebuildJournalTail`). */
  leftoverBytes: number;
  /** Those bytes as text. */
  tail: string;
}

/**
 * Parses `journal.jsonl` (`name` is how messages call it), which continues the snapshot whose
 * audit head is `base`. Only the part after the last newline may be unfinished; it is returned
 * as `tail`, not judged here. A line that is not a record, audit heads that go back, or a
 * journal that ends before `base` is ERR_STORE_CORRUPT. (Records at or before `base` are ones
 * a compaction already took into the snapshot: replaying them is harmless.)
 */
export function readJournal(content: Buffer, base: AuditHead, name: string): JournalContent {
  const corrupt = (what: string) =>
    new ClearanceError(
      'ERR_STORE_CORRUPT',
      `${name} is corrupt: ${what}. It was left untouched; restore it from a backup.`,
      { file: name },
    );
  const size = content.lastIndexOf(0x0a) + 1;
  const lines = size === 0 ? [] : content.toString('utf8', 0, size - 1).split('\n');
  const records: JournalRecord[] = [];
  let last: AuditHead | undefined;
  lines.forEach((line, index) => {
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw corrupt(`line ${index + 1} is not valid JSON`);
    }
    const parsed = recordSchema.safeParse(value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw corrupt(
        `line ${index + 1}: ${issue?.path.join('.') || 'record'}: ${issue?.message ?? 'invalid'}`,
      );
    }
    const record = parsed.data as unknown as JournalRecord;
    if (last && !followsOn(last, record.audit)) {
      throw corrupt(`line ${index + 1} goes back in the audit trail`);
    }
    last = record.audit;
    records.push(record);
  });
  if (last && !followsOn(base, last)) {
    throw corrupt(`it ends before the audit head that ${DB_FILE} records`);
  }
  return {
    records,
    size,
    leftoverBytes: content.length - size,
    tail: content.toString('utf8', size),
  };
}

const requestStart = '{"request":';
const auditKey = ',"audit":';

/**
 * The record of a last journal line that lost its end, when what is left names the change
 * fully: the request whole (if the line has one) and the audit `seq` whole. `heads` are the
 * points of the trail the line may end at (the committed head, then each whole audit entry
 * after it, all fsynced before the line was written); the one with that seq must carry a hash
 * that begins as the line's does. Returns the record and its whole line; undefined when the
 * line cannot be rebuilt.
 */
export function rebuildJournalTail(
  tail: string,
  heads: readonly AuditHead[],
): { record: JournalRecord; line: string } | undefined {
  let request: StoredRequest | undefined;
  let requestJson: string | undefined;
  let rest: string;
  if (tail.startsWith(requestStart)) {
    // The request ends where its JSON is complete: the last `,"audit":` after which it parses.
    const at = tail.lastIndexOf(auditKey);
    if (at === -1) return undefined;
    requestJson = tail.slice(requestStart.length, at);
    let value: unknown;
    try {
      value = JSON.parse(requestJson);
    } catch {
      return undefined;
    }
    const parsed = storedRequestSchema.safeParse(value);
    if (!parsed.success) return undefined;
    request = parsed.data as unknown as StoredRequest;
    rest = tail.slice(at + 1);
  } else if (tail.startsWith('{"audit":')) {
    rest = tail.slice(1);
  } else {
    return undefined;
  }
  const match = /^"audit":\{"seq":(\d+),/.exec(rest);
  if (!match) return undefined;
  const seq = Number(match[1]);
  const head = heads.find((h) => h.seq === seq);
  if (!head) return undefined;
  const whole = `"hash":${JSON.stringify(head.hash)}}}`;
  if (!whole.startsWith(rest.slice(match[0].length))) return undefined;
  const audit = { seq: head.seq, hash: head.hash };
  return {
    record: request ? { request, audit } : { audit },
    line: formatJournalLine(requestJson, audit),
  };
}

/** Whether `next` is `head` or a later point of the trail. */
export function followsOn(head: AuditHead, next: AuditHead): boolean {
  return next.seq > head.seq || (next.seq === head.seq && next.hash === head.hash);
}
