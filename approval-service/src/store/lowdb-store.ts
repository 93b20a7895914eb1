import { join, resolve } from 'node:path';
import { Low } from 'lowdb';
import { ClearanceError, isClearanceError } from '@clearance/client';
import type { AuditHead } from '../domain/audit-chain.js';
import { emptyTail, readAuditTail } from './audit-file.js';
import { readCommittedAudit } from './committed-audit.js';
import {
  type DirectoryLock,
  type DirectoryLockOptions,
  acquireDirectoryLock,
} from './directory-lock.js';
import {
  type StoreFs,
  describeFsError,
  errorCodeOf,
  nodeStoreFs,
  storeFileName,
  syncDirectory,
} from '../files/durable-fs.js';
import { FsyncJsonFile } from './fsync-json-file.js';
import { journalEntries, readJournal } from './journal.js';
import { LogFile } from './log-file.js';
import { LowdbBackedStore, type OpenedStoreFiles } from './lowdb-backed-store.js';
import { corruptError, recoverJournal, repairAudit } from './open-repairs.js';
import { RequestArchive } from './request-archive.js';
import type { Store } from './store.js';
import {
  ARCHIVE_FILE,
  AUDIT_FILE,
  DB_FILE,
  JOURNAL_FILE,
  STORE_VERSION,
  type StoreDocument,
  emptyStoreDocument,
  parseStoreDocument,
} from './store-document.js';

export interface LowdbStoreOptions {
  /** Holds `db.json`, `journal.jsonl`, `audit.jsonl` and the lock. */
  dataDir: string;
  /** File-system calls to use instead of node:fs/promises (failure tests). */
  fs?: StoreFs;
  /**
   * The journal is folded into a new `db.json` once it is larger than both this many bytes and
   * `db.json` itself (default 4 MiB), so replaying it at open stays cheap.
   */
  compactAfterBytes?: number | undefined;
  /**
   * Told synchronously as a compaction begins and once it has ended, however it ended: lets
   * the crash tests tell whether a kill landed during one.
   */
  onCompaction?: ((phase: 'start' | 'end') => void) | undefined;
  /**
   * The last signed checkpoint of the audit trail, its signature verified: opening then reads
   * and checks the entries after it only (the one at its seq must be the entry it signed), and
   * leaves those before it on disk unread. Absent: the whole trail is read and verified.
   */
  trustedAudit?: AuditHead | undefined;
  /** How long opening waits for a held lock, and when one goes stale (see `acquireDirectoryLock`). */
  lock?: Pick<DirectoryLockOptions, 'staleMs' | 'waitMs'>;
  /**
   * Where the store says what it repaired at open (a change rebuilt, lines of an unfinished
   * write cut off, committed audit lines restored from the journal), that it waits for the lock, and that it lost it. Default: stderr.
   */
  log?: (line: string) => void;
}

const DEFAULT_COMPACT_AFTER_BYTES = 4 * 1024 * 1024;

/**
 * Opens the embedded store of one data directory, refusing a directory another process (or
 * another open store) holds, and a `db.json`, `journal.jsonl` or `audit.jsonl` that is corrupt.
 *
 * `db.json` (kept by lowdb) is a snapshot of every request and the audit head; each change
 * after it is one line appended to `journal.jsonl`: the saved request, the audit head after
 * the change and the change's audit entries in full. So a change costs the same however many
 * requests are stored. The change's audit lines are appended to `audit.jsonl` first, without
 * an fsync, then its journal line, whose fsync alone commits it. A crash can thus leave audit
 * lines past the recorded head, a journal line without its end, or (the disk losing what was
 * not fsynced) an `audit.jsonl` that lacks committed lines, which the journal holds. At the
 * next open, audit lines of a change that has no journal line are cut off; committed ones
 * that `audit.jsonl` lacks are appended again from the journal (and fsynced); a last journal
 * line that lost its end is rebuilt when what is left names its request and audit head whole
 * and `audit.jsonl` holds its entries, and otherwise stops the open (ERR_STORE_CORRUPT naming
 * the file and line), since its change may have been acknowledged. Each repair is logged.
 * Journal lines written before they carried the entries (whose entries were fsynced to
 * `audit.jsonl` first) are read as before. Once the journal outgrows the snapshot, it is
 * folded into a new `db.json` (`audit.jsonl` fsynced first, then the snapshot written aside,
 * fsynced, renamed) and emptied; a crash in between only leaves lines the snapshot already
 * holds, which replay to the same state.
 */
export async function openLowdbStore(options: LowdbStoreOptions): Promise<Store> {
  const fs = options.fs ?? nodeStoreFs;
  const log = options.log ?? ((line: string) => console.error(line));
  const dir = resolve(options.dataDir);
  try {
    await fs.mkdir(dir, { recursive: true, mode: 0o700 });
  } catch (err) {
    throw new ClearanceError(
      'ERR_STORE',
      `Could not create the data directory: ${describeFsError(err)}`,
    );
  }
  const opened: { store?: LowdbBackedStore; lost?: ClearanceError } = {};
  const lock = await acquireDirectoryLock(dir, {
    ...options.lock,
    log,
    onLost: (err) => {
      log(err.message);
      if (opened.store) opened.store.refuseWrites(err);
      else opened.lost = err;
    },
  });
  try {
    const store = await loadStore(fs, dir, lock, {
      compactAfterBytes: options.compactAfterBytes ?? DEFAULT_COMPACT_AFTER_BYTES,
      trustedAudit: options.trustedAudit,
      log,
      onCompaction: options.onCompaction,
    });
    opened.store = store;
    if (opened.lost) store.refuseWrites(opened.lost);
    return store;
  } catch (err) {
    await lock.release();
    throw err;
  }
}

async function loadStore(
  fs: StoreFs,
  dir: string,
  lock: DirectoryLock,
  settings: Pick<OpenedStoreFiles, 'compactAfterBytes' | 'onCompaction'> & {
    log: (line: string) => void;
    trustedAudit: AuditHead | undefined;
  },
): Promise<LowdbBackedStore> {
  const { log } = settings;
  const snapshot = new FsyncJsonFile(fs, join(dir, DB_FILE), parseStoreDocument);
  const defaults = emptyStoreDocument();
  const db = new Low<StoreDocument>(snapshot, defaults);
  await db.read();
  const isNew = db.data === defaults;
  const opened: { close(): Promise<void> }[] = [];
  try {
    let journal = await openExisting(fs, join(dir, JOURNAL_FILE));
    let audit = await openExisting(fs, join(dir, AUDIT_FILE));
    if (journal) opened.push(journal);
    if (audit) opened.push(audit);
    const journalContent = journal ? await journal.readAll() : Buffer.alloc(0);
    const auditBytes = audit ? await audit.size() : 0;
    if (isNew) {
      const held =
        journalContent.length > 0 ? JOURNAL_FILE : auditBytes > 0 ? AUDIT_FILE : undefined;
      if (held) throw corruptError(DB_FILE, `${DB_FILE} is missing although ${held} is not empty.`);
    } else if (!journal && db.data.version !== 1) {
      throw corruptError(JOURNAL_FILE, `${JOURNAL_FILE} is missing although ${DB_FILE} exists.`);
    }
    const replay = readJournal(journalContent, db.data.audit, JOURNAL_FILE);
    const replayed = replay.records.at(-1)?.audit ?? db.data.audit;
    if (!audit && replayed.seq > 0) {
      throw corruptError(
        AUDIT_FILE,
        `${AUDIT_FILE} is missing although the store records ${replayed.seq} audit entries.`,
      );
    }
    const tail = audit ? await readAuditTail(audit, replayed, settings.trustedAudit) : emptyTail();
    const written = readCommittedAudit(tail, replayed, AUDIT_FILE, journalEntries(replay.records));
    const recovered = recoverJournal(replay, replayed, written.pending, log);
    const head = recovered.records.at(-1)?.audit ?? db.data.audit;
    const committed =
      head === replayed
        ? written
        : readCommittedAudit(tail, head, AUDIT_FILE, journalEntries(recovered.records));
    journal ??= await createLogFile(fs, dir, JOURNAL_FILE, opened);
    audit ??= await createLogFile(fs, dir, AUDIT_FILE, opened);
    const auditSize = await repairAudit(audit, committed, log);
    let journalSize = recovered.size;
    if (recovered.cut) await journal.truncate(recovered.size, true);
    if (recovered.rebuilt !== undefined) {
      journalSize = await journal.writeAt(recovered.size, recovered.rebuilt);
    }
    const archive = await RequestArchive.open(fs, dir, log);
    opened.push(archive);
    if (isNew && archive.index.count > 0) {
      throw corruptError(DB_FILE, `${DB_FILE} is missing although ${ARCHIVE_FILE} is not empty.`);
    }
    if (isNew) await db.write();
    const store = new LowdbBackedStore({
      db,
      snapshot,
      journal,
      audit,
      archive,
      lock,
      requests: [
        ...db.data.requests,
        ...recovered.records.flatMap((r) => (r.request ? [r.request] : [])),
      ],
      head,
      auditSize,
      journalSize,
      compactAfterBytes: settings.compactAfterBytes,
      log,
      onCompaction: settings.onCompaction,
    });
    // An older version's snapshot: its closed requests move to the archive now.
    if (db.data.version !== STORE_VERSION) await store.compactNow();
    return store;
  } catch (err) {
    await Promise.all(opened.map((file) => file.close().catch(() => {})));
    throw isClearanceError(err)
      ? err
      : new ClearanceError('ERR_STORE', `Could not open the store: ${describeFsError(err)}`);
  }
}

/** Opens a log file of the store; undefined when it does not exist. */
async function openExisting(fs: StoreFs, path: string): Promise<LogFile | undefined> {
  try {
    return await LogFile.open(fs, path, false);
  } catch (err) {
    if (errorCodeOf(err) === 'ENOENT') return undefined;
    throw new ClearanceError(
      'ERR_STORE',
      `Could not open ${storeFileName(path)}: ${describeFsError(err)}`,
    );
  }
}

/** Creates an empty log file durably (the directory entry too). */
async function createLogFile(
  fs: StoreFs,
  dir: string,
  name: string,
  opened: { close(): Promise<void> }[],
): Promise<LogFile> {
  try {
    const created = await LogFile.open(fs, join(dir, name), true);
    opened.push(created);
    await syncDirectory(fs, dir);
    return created;
  } catch (err) {
    throw new ClearanceError('ERR_STORE', `Could not create ${name}: ${describeFsError(err)}`);
  }
}
