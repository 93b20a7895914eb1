import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AuditHead } from '../domain/audit-chain.js';
import type { AuditEntry } from '../domain/model.js';
import { ClearanceError } from '@clearance/client';
import { describeFsError, errorCodeOf } from '../files/durable-fs.js';
import { readJournal } from './journal.js';
import { DB_FILE, JOURNAL_FILE, parseStoreDocument } from './store-document.js';

async function readOrUndefined(path: string): Promise<Buffer | undefined> {
  try {
    return await readFile(path);
  } catch (err) {
    if (errorCodeOf(err) === 'ENOENT') return undefined;
    throw err;
  }
}

/** What a data directory has committed of its audit trail. */
export interface CommittedTrailEnd {
  /** The head: that of the journal's last whole line, else the one `db.json` records. */
  head: AuditHead;
  /**
   * The audit entries the journal holds in full, oldest first. After a crash, `audit.jsonl` may
   * lack the last of them (it is not fsynced per change); the store appends them at its next open.
   */
  journalEntries: AuditEntry[];
}

/**
 * The committed end of a data directory's audit trail (see `CommittedTrailEnd`). Undefined when
 * there is no `db.json`. Reads only, so it is safe while the store is open (an append in flight
 * is not counted yet).
 */
export async function readCommittedTrailEnd(
  dataDir: string,
): Promise<CommittedTrailEnd | undefined> {
  const dbPath = join(dataDir, DB_FILE);
  const text = await readOrUndefined(dbPath);
  if (text === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text.toString('utf8'));
  } catch (err) {
    throw new ClearanceError(
      'ERR_STORE_CORRUPT',
      `${DB_FILE} is not valid JSON (${describeFsError(err)})`,
    );
  }
  const document = parseStoreDocument(value, DB_FILE);
  const journalPath = join(dataDir, JOURNAL_FILE);
  const journal = await readOrUndefined(journalPath);
  if (journal === undefined) {
    if (document.version === 1) return { head: document.audit, journalEntries: [] };
    throw new ClearanceError(
      'ERR_STORE_CORRUPT',
      `${JOURNAL_FILE} is missing although ${DB_FILE} exists`,
    );
  }
  const { records } = readJournal(journal, document.audit, JOURNAL_FILE);
  return {
    head: records.at(-1)?.audit ?? document.audit,
    journalEntries: records.flatMap((r) => r.entries ?? []),
  };
}
