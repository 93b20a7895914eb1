import { join, resolve } from 'node:path';
import type { AuditHead } from '../domain/audit-chain.js';
import { Low } from 'lowdb';
import { ClearanceError, isClearanceError } from '@clearance/client';
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
import { type JournalContent, readJournal, rebuildJournalTail } from './journal.js';
import { LogFile } from './log-file.js';
import { LowdbBackedStore, type OpenedStoreFiles } from './lowdb-backed-store.js';
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
  /** How long opening waits for a held lock, and when one goes stale (see `acquireDirectoryLock`). */
  lock?: Pick<DirectoryLockOptions, 'staleMs' | 'waitMs'>;
  /**
   * Where the store says what it repaired at open (a change rebuilt, lines of an unfinished
   * write cut off), that it waits for the lock, and that it lost it. Default: stderr.
   */
  log?: (line: string) => void;
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
 * can thus leave audit lines past the recorded head, or a journal line without its end, but
 * never a committed change without its audit lines. At the next open, audit lines of a change
 * that has no journal line are cut off; a last journal line that lost its end is rebuilt when
 * what is left names its request and audit head whole, and otherwise stops the open
 * (ERR_STORE_CORRUPT naming the file and line), since its change may have been acknowledged.
 * Each repair is logged. Once the journal outgrows the snapshot, it is folded into a new
 * `db.json` (written aside, fsynced, renamed) and emptied; a crash in between only leaves
 * lines the snapshot already holds, which replay to the same state.
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

/** The journal after recovery: its records, where it ends, and the line to write back. */
interface RecoveredJournal {
  records: JournalContent['records'];
  size: number;
  /** A rebuilt last line, to write at `size` (the journal is cut back to `size` first). */
  rebuilt?: string;
  cut: boolean;
}

/**
 * Decides about a last journal line without its end. The whole audit entries after the
 * committed head were fsynced before it: if the line names its request and one of them (or
 * the head) whole, it is rebuilt; otherwise its change cannot be told apart from one that was
 * acknowledged, so the open stops.
 */
function recoverJournal(
  replay: JournalContent,
  head: AuditHead,
  pending: readonly AuditHead[],
  log: (line: string) => void,
): RecoveredJournal {
  const base = { records: replay.records, size: replay.size, cut: false };
  if (replay.leftoverBytes === 0) return base;
  const line = replay.records.length + 1;
  const rebuilt = rebuildJournalTail(replay.tail, [head, ...pending]);
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

async function loadStore(
  fs: StoreFs,
  dir: string,
  lock: DirectoryLock,
  settings: Pick<OpenedStoreFiles, 'compactAfterBytes' | 'onCompaction'> & {
    log: (line: string) => void;
  },
): Promise<LowdbBackedStore> {
  const { log } = settings;
  const snapshot = new FsyncJsonFile(fs, join(dir, DB_FILE), parseStoreDocument);
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
        journalContent.length > 0 ? JOURNAL_FILE : auditContent.length > 0 ? AUDIT_FILE : undefined;
      if (held) throw corruptError(DB_FILE, `${DB_FILE} is missing although ${held} is not empty.`);
    } else if (!journal && db.data.version === STORE_VERSION) {
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
    const written = readCommittedAudit(auditContent, replayed, AUDIT_FILE);
    const recovered = recoverJournal(replay, replayed, written.pending, log);
    const head = recovered.records.at(-1)?.audit ?? db.data.audit;
    const committed =
      head === replayed ? written : readCommittedAudit(auditContent, head, AUDIT_FILE);
    journal ??= await createLogFile(fs, dir, JOURNAL_FILE, opened);
    audit ??= await createLogFile(fs, dir, AUDIT_FILE, opened);
    if (committed.leftoverBytes > 0) {
      const [first, last] = [committed.pending[0]?.seq, committed.pending.at(-1)?.seq];
      const entries = first === last ? `entry ${first}` : `entries ${first}–${last}`;
      const what =
        first === undefined
          ? 'the unfinished end of a write that never committed'
          : `${entries}, written by a change that never committed`;
      log(`${AUDIT_FILE}: cut off ${what} (no ${JOURNAL_FILE} line records it).`);
      await audit.truncate(committed.size, true);
    }
    let journalSize = recovered.size;
    if (recovered.cut) await journal.truncate(recovered.size, true);
    if (recovered.rebuilt !== undefined) {
      journalSize = await journal.writeAt(recovered.size, recovered.rebuilt);
    }
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
        ...recovered.records.flatMap((r) => (r.request ? [r.request] : [])),
      ],
      entries: committed.entries,
      head,
      auditSize: committed.size,
      journalSize,
      compactAfterBytes: settings.compactAfterBytes,
      log,
      onCompaction: settings.onCompaction,
    });
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
  opened: LogFile[],
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

function corruptError(file: string, message: string): ClearanceError {
  return new ClearanceError('ERR_STORE_CORRUPT', message, { file });
}
