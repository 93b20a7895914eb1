import { join, resolve } from 'node:path';
import { Low } from 'lowdb';
import { ClearanceError, isClearanceError } from '../client/errors.js';
import { AuditLogFile } from './audit-log-file.js';
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
import { LowdbBackedStore } from './lowdb-backed-store.js';
import type { Store } from './store.js';
import {
  AUDIT_FILE,
  DB_FILE,
  type StoreDocument,
  emptyStoreDocument,
  parseStoreDocument,
} from './store-document.js';

export interface LowdbStoreOptions {
  /** Holds `db.json` (requests and the audit head), `audit.jsonl` and the lock file. */
  dataDir: string;
  /** File-system calls to use instead of node:fs/promises (failure tests). */
  fs?: StoreFs;
}

/**
 * Opens the embedded store of one data directory, refusing a directory another process (or
 * another open store) holds, and a `db.json` or `audit.jsonl` that is corrupt.
 *
 * A change is committed by the rename of `db.json`, which records the request and the head of
 * the audit trail; its audit lines are appended and fsynced just before. So a crash can leave
 * audit lines past the recorded head but never a committed change without its lines; the next
 * open cuts those uncommitted lines off.
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
    return await loadStore(fs, dir, lock);
  } catch (err) {
    await lock.release();
    throw err;
  }
}

async function loadStore(fs: StoreFs, dir: string, lock: DirectoryLock): Promise<Store> {
  const dbPath = join(dir, DB_FILE);
  const defaults = emptyStoreDocument();
  const db = new Low<StoreDocument>(new FsyncJsonFile(fs, dbPath, parseStoreDocument), defaults);
  await db.read();
  const isNew = db.data === defaults;
  const audit = await openAuditFile(fs, dir, db.data.audit.seq);
  try {
    const content = await audit.readAll();
    if (isNew && content.length > 0) {
      throw corruptError(dbPath, `${dbPath} is missing although ${AUDIT_FILE} holds entries.`);
    }
    const committed = readCommittedAudit(content, db.data.audit, audit.path);
    if (committed.leftoverBytes > 0) await audit.truncate(committed.size, true);
    if (isNew) await db.write();
    return new LowdbBackedStore(db, audit, lock, committed.entries, committed.size);
  } catch (err) {
    await audit.close().catch(() => {});
    throw isClearanceError(err)
      ? err
      : new ClearanceError(
          'ERR_STORE',
          `Could not open the store in ${dir}: ${describeFsError(err)}`,
        );
  }
}

/** Opens `audit.jsonl`, creating it only for a store that has no audit entries yet. */
async function openAuditFile(fs: StoreFs, dir: string, headSeq: number): Promise<AuditLogFile> {
  const path = join(dir, AUDIT_FILE);
  try {
    try {
      return await AuditLogFile.open(fs, path, false);
    } catch (err) {
      if (errorCodeOf(err) !== 'ENOENT') throw err;
    }
    if (headSeq > 0) {
      throw corruptError(
        path,
        `${path} is missing although ${DB_FILE} records ${headSeq} audit entries.`,
      );
    }
    const created = await AuditLogFile.open(fs, path, true);
    await syncDirectory(fs, dir).catch(async (err: unknown) => {
      await created.close();
      throw err;
    });
    return created;
  } catch (err) {
    if (isClearanceError(err)) throw err;
    throw new ClearanceError('ERR_STORE', `Could not open ${path}: ${describeFsError(err)}`);
  }
}

function corruptError(file: string, message: string): ClearanceError {
  return new ClearanceError('ERR_STORE_CORRUPT', message, { file });
}
