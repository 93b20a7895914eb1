import { z } from 'zod';
import { type AuditHead, hashAuditEntry } from '../domain/audit-chain.js';
import { auditLineSchema, formatAuditLine } from '../domain/audit-line.js';
import { ClearanceError } from '@clearance/client';
import type { AuditEntry, StoredRequest } from '../domain/model.js';
import { DB_FILE, auditHeadSchema, storedRequestSchema } from './store-document.js';

/**
 * One committed change, as a line of `journal.jsonl`: the request it saved (if any, in full),
 * the head of the audit trail after it, and the audit entries it appended, in full. Lines
 * written before the journal carried the entries have no `entries`: theirs were fsynced to
 * `audit.jsonl` before the line was written.
 */
export interface JournalRecord {
  request?: StoredRequest;
  audit: AuditHead;
  entries?: AuditEntry[];
}

const recordSchema = z
  .object({
    request: storedRequestSchema.optional(),
    audit: auditHeadSchema,
    entries: z.array(auditLineSchema).optional(),
  })
  .strict();

/**
 * The line (with its newline) recording a change; `requestJson` is the saved request as JSON,
 * `entries` the audit entries the change appended (omitted only to reproduce a line of the
 * older format).
 */
export function formatJournalLine(
  requestJson: string | undefined,
  head: AuditHead,
  entries: readonly AuditEntry[] | undefined,
): string {
  const audit = JSON.stringify({ seq: head.seq, hash: head.hash });
  const request = requestJson === undefined ? '' : `"request":${requestJson},`;
  const lines = entries && `,"entries":[${entries.map(formatAuditLine).join(',')}]`;
  return `{${request}"audit":${audit}${lines ?? ''}}\n`;
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
 * What is wrong with a record's entries, if anything: each must carry the hash of its content
 * and follow the one before it, the first one `prev` (the record before, when there is one),
 * and the last must be the record's audit head.
 */
function entriesProblem(record: JournalRecord, prev: AuditHead | undefined): string | undefined {
  const { entries } = record;
  if (!entries) return undefined;
  if (entries.length === 0 && prev && record.audit.seq !== prev.seq) {
    return 'its audit head moved although it holds no audit entries';
  }
  let at = prev;
  for (const entry of entries) {
    if (hashAuditEntry(entry) !== entry.hash) {
      return `audit entry ${entry.seq} does not match its hash`;
    }
    if (at && (entry.seq !== at.seq + 1 || entry.prevHash !== at.hash)) {
      return `audit entry ${entry.seq} does not follow on from entry ${at.seq}`;
    }
    at = entry;
  }
  if (at && (at.seq !== record.audit.seq || at.hash !== record.audit.hash)) {
    return 'its audit entries do not end at its audit head';
  }
  return undefined;
}

/**
 * Parses `journal.jsonl` (`name` is how messages call it), which continues the snapshot whose
 * audit head is `base`. Only the part after the last newline may be unfinished; it is returned
 * as `tail`, not judged here. A line that is not a record, audit heads that go back, audit
 * entries that do not chain on to their record's head, or a journal that ends before `base` is
 * ERR_STORE_CORRUPT. (Records at or before `base` are ones a compaction already took into the
 * snapshot: replaying them is harmless.)
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
    // The entries as written, not as the schema rebuilt them: their lines are appended again.
    const { entries } = value as { entries?: AuditEntry[] };
    const record = { ...parsed.data, ...(entries && { entries }) } as unknown as JournalRecord;
    if (last && !followsOn(last, record.audit)) {
      throw corrupt(`line ${index + 1} goes back in the audit trail`);
    }
    const problem = entriesProblem(record, last);
    if (problem) throw corrupt(`line ${index + 1}: ${problem}`);
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

/**
 * The audit entries that the last records hold in full, oldest first: they run on without a
 * gap up to the last record's head, back to the first record that carries none of its own
 * (a line of the older format) or the start of the journal.
 */
export function journalEntries(records: readonly JournalRecord[]): AuditEntry[] {
  const held: AuditEntry[][] = [];
  for (let i = records.length - 1; i >= 0; i--) {
    const entries = records[i]?.entries;
    if (!entries) break;
    held.unshift(entries);
  }
  return held.flat();
}

/** Whether `next` is `head` or a later point of the trail. */
export function followsOn(head: AuditHead, next: AuditHead): boolean {
  return next.seq > head.seq || (next.seq === head.seq && next.hash === head.hash);
}
