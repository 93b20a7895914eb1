import type { AuditHead } from '../domain/audit-chain.js';
import { formatAuditLine } from '../domain/audit-line.js';
import type { AuditEntry } from '../domain/model.js';
import { ClearanceError } from '@clearance/client';
import type { CommittedAudit } from './committed-audit.js';
import type { JournalContent } from './journal.js';
import { rebuildJournalTail } from './journal-tail.js';
import type { LogFile } from './log-file.js';
import { AUDIT_FILE, JOURNAL_FILE } from './store-document.js';

export function corruptError(file: string, message: string): ClearanceError {
  return new ClearanceError('ERR_STORE_CORRUPT', message, { file });
}

/** The journal after recovery: its records, where it ends, and the line to write back. */
export interface RecoveredJournal {
  records: JournalContent['records'];
  size: number;
  /** A rebuilt last line, to write at `size` (the journal is cut back to `size` first). */
  rebuilt?: string;
  cut: boolean;
}

/**
 * Decides about a last journal line without its end. If what is left names its request and
 * its audit head (the committed one, or one of the whole entries `audit.jsonl` holds after
 * it) whole, it is rebuilt, with those entries; otherwise its change cannot be told apart
 * from one that was acknowledged, so the open stops.
 */
export function recoverJournal(
  replay: JournalContent,
  head: AuditHead,
  pending: readonly AuditEntry[],
  log: (line: string) => void,
): RecoveredJournal {
  const base = { records: replay.records, size: replay.size, cut: false };
  if (replay.leftoverBytes === 0) return base;
  const line = replay.records.length + 1;
  const rebuilt = rebuildJournalTail(replay.tail, head, pending);
  if (!rebuilt) {
    throw corruptError(
      JOURNAL_FILE,
      `${JOURNAL_FILE} line ${line} is cut short (${replay.leftoverBytes} bytes from byte ${replay.size}) and cannot be rebuilt from what is left of it and ${AUDIT_FILE}. ` +
        `Its change may have been acknowledged, so it was not dropped and nothing was changed. ` +
        `Restore the data directory from a backup; or, to give that change up, cut ${JOURNAL_FILE} back to ${replay.size} bytes and start again.`,
    );
  }
  log(
    `${JOURNAL_FILE} line ${line} had lost its end; rebuilt it from what was left and ${AUDIT_FILE} up to entry ${rebuilt.record.audit.seq}.`,
  );
  return {
    records: [...replay.records, rebuilt.record],
    size: replay.size,
    rebuilt: rebuilt.line,
    cut: true,
  };
}

const seqs = (entries: readonly AuditEntry[]) => {
  const [first, last] = [entries[0]?.seq, entries.at(-1)?.seq];
  return first === last ? `entry ${first}` : `entries ${first}–${last}`;
};

/**
 * Brings `audit.jsonl` to the committed trail, saying what it did: cuts off the lines of a
 * change that never committed, and appends (durably) the committed entries it lacks, which
 * the journal holds. Resolves with the file's new size.
 */
export async function repairAudit(
  audit: LogFile,
  committed: CommittedAudit,
  log: (line: string) => void,
): Promise<number> {
  const { size, leftoverBytes, pending, restored } = committed;
  if (restored.length > 0) {
    log(
      `${AUDIT_FILE}: restored ${seqs(restored)} from ${JOURNAL_FILE} (their lines had not reached the disk).`,
    );
    if (leftoverBytes > 0) await audit.truncate(size, false);
    return audit.writeAt(size, restored.map((e) => `${formatAuditLine(e)}\n`).join(''));
  }
  if (leftoverBytes > 0) {
    const what =
      pending.length === 0
        ? 'the unfinished end of a write that never committed'
        : `${seqs(pending)}, written by a change that never committed`;
    log(`${AUDIT_FILE}: cut off ${what} (no ${JOURNAL_FILE} line records it).`);
    await audit.truncate(size, true);
  }
  return size;
}
