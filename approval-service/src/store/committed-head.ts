import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AuditHead } from '../domain/audit-chain.js';
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

/**
 * The head of the audit trail that a data directory has committed: that of the journal's last
 * whole line, else the one `db.json` records. Undefined when there is no `db.json`. Reads
 * only, so it is safe while the store is open (an append in flight is not counted yet).
 */
export async function readCommittedHead(dataDir: string): Promise<AuditHead | undefined> {
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
    if (document.version === 1) return document.audit;
    throw new ClearanceError(
      'ERR_STORE_CORRUPT',
      `${JOURNAL_FILE} is missing although ${DB_FILE} exists`,
    );
  }
  return readJournal(journal, document.audit, JOURNAL_FILE).records.at(-1)?.audit ?? document.audit;
}
