import { join, resolve } from 'node:path';
import { Low } from 'lowdb';
import { ClearanceError, isClearanceError } from '../client/errors.js';
import { readCommittedAudit } from './committed-audit.js';
import { type DirectoryLock, acquireDirectoryLock } from './directory-lock.js';
import {
  type StoreFs,
  describeFsError,
  errorCodeOf,
  nodeStoreFs,
  syncDirectory,
} from './durable-fs.js';
import { FsyncJsonFile } from './fsync-json-file.js';
import { readJournal } from './journal.js';
import { LogFile } from './log-file.js';
import { LowdbBackedStore } from './lowdb-backed-store.js';
import type { Store } from './store.js';
import {
  AUDIT_FILE,
  DB_FILE,
  JOURNAL_FILE,
  STORE_VERSION,
  type StoreDocument,
  emptyStoreDocument,
  parseStoreDocument,
} from './store-document.js';

export interface LowdbStoreOptions {
  /** Holds `db.json`, `journal.jsonl`, `audit.jsonl` and the lock file. */
  dataDir: string;
  /** File-system calls to use instead of node:fs/promises (failure tests). */
  fs?: StoreFs;
  /**
   * The journal is folded into a new `db.json` once it is larger than both this many bytes and
   * `db.json` itself (default 4 MiB), so replaying it at open stays cheap.
   */
  compactAfterBytes?: number;
}

const DEFAULT_COMPACT_AFTER_BYTES = 4 * 1024 * 1024;

/**
 * Opens the embedded store of one data directory, refusing a directory another process (or
 * another open store) holds, and a `db.json`, `journal.jsonl` or `audit.jsonl` that is corrupt.
 *
 * `db.json` (kept by lowdb) is a snapshot of every request and the audit head; each change
 * after it is one line appended to `journal.jsonl`: the saved request and the audit head after
 * the change. So a change costs the same however many requests are stored. The change's audit
 * lines are appended and fsynced first, then its journal line, whose fsync commits it. A crash
 * can thus leave audit lines past the recorded head, or an unfinished journal line, but never
 * a committed change without its audit lines; the next open cuts off what did not commit.
 * Once the journal outgrows the snapshot, it is folded into a new `db.json` (written aside,
 * fsynced, renamed) and emptied; a crash in between only leaves lines the snapshot already
 * holds, which replay to the same state.
 */
export async function openLowdbStore(options: LowdbStoreOptions): Promise<Store> {
  const fs = options.fs ?? nodeStoreFs;
  const dir = resolve(options.dataDir);
  try {
    await fs.mkdir(dir, { recursive: true, mode: 0o700 });
  } catch (err) {
    throw new ClearanceError(
      'ERR_STORE',
      `Could not create the data directory ${dir}: ${describeFsError(err)}`,
    );
  }
  const lock = await acquireDirectoryLock(fs, dir);
  try {
    return await loadStore(fs, dir, lock, options.compactAfterBytes ?? DEFAULT_COMPACT_AFTER_BYTES);
  } catch (err) {
    await lock.release();
    throw err;
  }
}

async function loadStore(
  fs: StoreFs,
  dir: string,
  lock: DirectoryLock,
  compactAfterBytes: number,
): Promise<Store> {
  const dbPath = join(dir, DB_FILE);
  const snapshot = new FsyncJsonFile(fs, dbPath, parseStoreDocument);
  const defaults = emptyStoreDocument();
  const db = new Low<StoreDocument>(snapshot, defaults);
  await db.read();
  const isNew = db.data === defaults;
  const opened: LogFile[] = [];
  try {
    let journal = await openExisting(fs, join(dir, JOURNAL_FILE));
    let audit = await openExisting(fs, join(dir, AUDIT_FILE));
    if (journal) opened.push(journal);
    if (audit) opened.push(audit);
    const journalContent = journal ? await journal.readAll() : Buffer.alloc(0);
    const auditContent = audit ? await audit.readAll() : Buffer.alloc(0);
    if (isNew) {
      const held =
        journalContent.length > 0 ? journal : auditContent.length > 0 ? audit : undefined;
      if (held)
        throw corruptError(dbPath, `${dbPath} is missing although ${held.path} is not empty.`);
    } else if (!journal && db.data.version === STORE_VERSION) {
      const path = join(dir, JOURNAL_FILE);
      throw corruptError(path, `${path} is missing although ${dbPath} exists.`);
    }
    const replay = readJournal(journalContent, db.data.audit, join(dir, JOURNAL_FILE));
    const head = replay.records.at(-1)?.audit ?? db.data.audit;
    if (!audit && head.seq > 0) {
      const path = join(dir, AUDIT_FILE);
      throw corruptError(
        path,
        `${path} is missing although the store records ${head.seq} audit entries.`,
      );
    }
    const committed = readCommittedAudit(auditContent, head, join(dir, AUDIT_FILE));
    journal ??= await createLogFile(fs, dir, JOURNAL_FILE, opened);
    audit ??= await createLogFile(fs, dir, AUDIT_FILE, opened);
    if (committed.leftoverBytes > 0) await audit.truncate(committed.size, true);
    if (replay.leftoverBytes > 0) await journal.truncate(replay.size, true);
    if (isNew || db.data.version !== STORE_VERSION) {
      db.data = { ...db.data, version: STORE_VERSION };
      await db.write();
    }
    return new LowdbBackedStore({
      db,
      snapshot,
      journal,
      audit,
      lock,
      requests: [
        ...db.data.requests,
        ...replay.records.flatMap((r) => (r.request ? [r.request] : [])),
      ],
      entries: committed.entries,
      head,
      auditSize: committed.size,
      journalSize: replay.size,
      compactAfterBytes,
    });
  } catch (err) {
    await Promise.all(opened.map((file) => file.close().catch(() => {})));
    throw isClearanceError(err)
      ? err
      : new ClearanceError(
          'ERR_STORE',
          `Could not open the store in ${dir}: ${describeFsError(err)}`,
        );
  }
}

/** Opens a log file of the store; undefined when it does not exist. */
async function openExisting(fs: StoreFs, path: string): Promise<LogFile | undefined> {
  try {
    return await LogFile.open(fs, path, false);
  } catch (err) {
    if (errorCodeOf(err) === 'ENOENT') return undefined;
    throw new ClearanceError('ERR_STORE', `Could not open ${path}: ${describeFsError(err)}`);
  }
}

/** Creates an empty log file durably (the directory entry too). */
async function createLogFile(
  fs: StoreFs,
  dir: string,
  name: string,
  opened: LogFile[],
): Promise<LogFile> {
  const path = join(dir, name);
  try {
    const created = await LogFile.open(fs, path, true);
    opened.push(created);
    await syncDirectory(fs, dir);
    return created;
  } catch (err) {
    throw new ClearanceError('ERR_STORE', `Could not create ${path}: ${describeFsError(err)}`);
  }
}

function corruptError(file: string, message: string): ClearanceError {
  return new ClearanceError('ERR_STORE_CORRUPT', message, { file });
}
