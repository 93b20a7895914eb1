import { z } from 'zod';
import type { AuditHead } from '../audit/chain.js';
import { ClearanceError } from '../client/errors.js';
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
  /** Bytes after them: a line an interrupted append left without its newline (to be cut off). */
  leftoverBytes: number;
}

/**
 * Parses `journal.jsonl`, which continues the snapshot whose audit head is `base`. Only the
 * part after the last newline may be unfinished (an append that never completed, so was never
 * acknowledged). A line that is not a record, audit heads that go back, or a journal that
 * ends before `base` is ERR_STORE_CORRUPT. (Records at or before `base` are ones a compaction
 * already took into the snapshot: replaying them is harmless.)
 */
export function readJournal(content: Buffer, base: AuditHead, path: string): JournalContent {
  const corrupt = (what: string) =>
    new ClearanceError(
      'ERR_STORE_CORRUPT',
      `${path} is corrupt: ${what}. It was left untouched; restore it from a backup.`,
      { file: path },
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
  return { records, size, leftoverBytes: content.length - size };
}

/** Whether `next` is `head` or a later point of the trail. */
function followsOn(head: AuditHead, next: AuditHead): boolean {
  return next.seq > head.seq || (next.seq === head.seq && next.hash === head.hash);
}
