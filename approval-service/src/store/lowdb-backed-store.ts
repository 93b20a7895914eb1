import type { Low } from 'lowdb';
import { type AuditHead, chainEntries } from '../domain/audit-chain.js';
import { formatAuditLine } from '../domain/audit-line.js';
import { ClearanceError, isClearanceError } from '@clearance/client';
import type {
  AuditEntry,
  AuditEvent,
  AuditFilter,
  RequestKey,
  StoredRequest,
} from '../domain/model.js';
import { forEachLine } from '../files/read-lines.js';
import { auditCorrupt, forEachLineBackward } from './audit-file.js';
import { auditMatcher } from './audit-query.js';
import type { DirectoryLock } from './directory-lock.js';
import { describeFsError } from '../files/durable-fs.js';
import type { FsyncJsonFile } from './fsync-json-file.js';
import { formatJournalLine } from './journal.js';
import type { LogFile } from './log-file.js';
import { RequestIndex } from './request-index.js';
import type { FrozenRequest, RequestFilter, SavedChange, Store, StoreHealth } from './store.js';
import {
  AUDIT_FILE,
  DB_FILE,
  JOURNAL_FILE,
  STORE_VERSION,
  type StoreDocument,
} from './store-document.js';

/** An opened data directory, as `openLowdbStore` found it. */
export interface OpenedStoreFiles {
  db: Low<StoreDocument>;
  snapshot: FsyncJsonFile<StoreDocument>;
  journal: LogFile;
  audit: LogFile;
  lock: DirectoryLock;
  /** The snapshot's requests, then those the journal saved, in order. */
  requests: StoredRequest[];
  head: AuditHead;
  auditSize: number;
  journalSize: number;
  compactAfterBytes: number;
  /** Where a failed compaction is reported. */
  log?: (line: string) => void;
  /** See `LowdbStoreOptions.onCompaction`. */
  onCompaction?: ((phase: 'start' | 'end') => void) | undefined;
}

/** Compactions failing in a row: the last failure, and the journal size of the next attempt. */
interface CompactionTrouble {
  failures: number;
  lastFailedAt: string;
  lastError: string;
  retryAtBytes: number;
}

/**
 * The Store over an opened data directory. A change appends its audit lines, then its journal
 * line, which holds them too (see `openLowdbStore`); it reaches memory once the journal line
 * is durable, which takes one fsync.
 */
export class LowdbBackedStore implements Store {
  private readonly requests: RequestIndex;
  private head: AuditHead;
  private auditSize: number;
  private journalSize: number;
  private queue: Promise<unknown> = Promise.resolve();
  /** Audit reads under way: closing waits for them. */
  private readonly reads = new Set<Promise<unknown>>();
  private closed = false;
  /** Set when a failed write left the files in a state this process no longer mirrors. */
  private broken: ClearanceError | undefined;
  private compaction: CompactionTrouble | undefined;

  constructor(private readonly files: OpenedStoreFiles) {
    this.requests = RequestIndex.from(files.requests);
    this.head = files.head;
    this.auditSize = files.auditSize;
    this.journalSize = files.journalSize;
  }

  async getRequest(id: string): Promise<StoredRequest | undefined> {
    this.ensureOpen();
    const found = this.requests.get(id);
    return found && structuredClone(found);
  }

  async findLatest(key: RequestKey): Promise<StoredRequest | undefined> {
    this.ensureOpen();
    const found = this.requests.findLatest(key);
    return found && structuredClone(found);
  }

  async listRequests(filter?: RequestFilter): Promise<StoredRequest[]> {
    this.ensureOpen();
    return structuredClone(this.requests.list(filter));
  }

  async findLatestFrozen(keys: readonly RequestKey[]): Promise<(FrozenRequest | undefined)[]> {
    this.ensureOpen();
    return this.requests.findLatestMany(keys);
  }

  async listFrozen(filter?: RequestFilter): Promise<FrozenRequest[]> {
    this.ensureOpen();
    return this.requests.list(filter);
  }

  /** Reads `audit.jsonl` from disk, a chunk at a time, up to the committed head (`newest`: from it back). */
  async readAudit(filter?: AuditFilter): Promise<AuditEntry[]> {
    this.ensureOpen();
    const read = this.scanAudit(filter, this.auditSize);
    this.reads.add(read);
    try {
      return await read;
    } finally {
      this.reads.delete(read);
    }
  }

  saveRequest(request: StoredRequest, events: AuditEvent[]): Promise<AuditEntry[]> {
    return this.serialized(() => this.commit([{ request, events }]));
  }

  async auditHead(): Promise<AuditHead> {
    this.ensureOpen();
    return { ...this.head };
  }

  saveRequests(changes: readonly SavedChange[]): Promise<AuditEntry[]> {
    return this.serialized(() => this.commit(changes));
  }

  appendAudit(events: AuditEvent[]): Promise<AuditEntry[]> {
    return this.serialized(() => this.commit([{ request: undefined, events }]));
  }

  /** A compaction failing (until one succeeds), for `/healthz`. */
  health(): StoreHealth {
    if (!this.compaction) return {};
    const { failures, lastFailedAt, lastError } = this.compaction;
    return { compaction: { ok: false, failures, lastFailedAt, lastError } };
  }

  /** Refuses every later write with `err` (the data directory lock was lost). */
  refuseWrites(err: ClearanceError): void {
    this.broken ??= err;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.queue;
    await Promise.allSettled([...this.reads]);
    // Spares the next open restoring audit lines from the journal after a power loss.
    await this.files.audit.sync().catch(() => {});
    await this.files.journal.close().catch(() => {});
    await this.files.audit.close().catch(() => {});
    await this.files.lock.release();
  }

  /** The matches up to byte `end`: from the start on, or (`newest`) from the end back. */
  private async scanAudit(filter: AuditFilter = {}, end: number): Promise<AuditEntry[]> {
    const { audit } = this.files;
    const { newest, ...rest } = filter;
    const matcher = auditMatcher(newest === undefined ? rest : { ...rest, limit: newest });
    const offer = (line: string, where: string) => {
      let entry: AuditEntry;
      try {
        entry = JSON.parse(line) as AuditEntry;
      } catch {
        throw auditCorrupt(audit.name, `${where}: not valid JSON`);
      }
      return matcher.offer(entry);
    };
    try {
      if (newest === undefined) {
        await forEachLine(audit, end, (line, number) => offer(line, `line ${number}`));
        return matcher.matches;
      }
      await forEachLineBackward(audit, end, (line, at) => offer(line, `the line at byte ${at}`));
      return matcher.matches.reverse();
    } catch (err) {
      throw isClearanceError(err)
        ? err
        : new ClearanceError('ERR_STORE', `Could not read ${audit.name}: ${describeFsError(err)}`);
    }
  }

  private ensureOpen(): void {
    if (this.closed) throw new ClearanceError('ERR_STORE', 'The store is closed.');
  }

  private serialized<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => {});
    return run;
  }

  /**
   * Appends the audit lines (without an fsync), then a journal line per change with its lines
   * in it, in one write whose fsync commits them all; memory changes only then.
   */
  private async commit(
    changes: readonly { request: StoredRequest | undefined; events: AuditEvent[] }[],
  ): Promise<AuditEntry[]> {
    this.ensureOpen();
    if (this.broken) throw this.broken;
    let head = this.head;
    const entries: AuditEntry[] = [];
    const stored: StoredRequest[] = [];
    let journalText = '';
    for (const { request, events } of changes) {
      const own = chainEntries(head, events);
      if (!request && own.length === 0) continue;
      const last = own.at(-1);
      if (last) head = { seq: last.seq, hash: last.hash };
      // Stored as it is written: the JSON round trip drops undefined members and detaches the copy.
      const json = request && JSON.stringify(request);
      if (json !== undefined) stored.push(JSON.parse(json) as StoredRequest);
      journalText += formatJournalLine(json, head, own);
      entries.push(...own);
    }
    if (journalText === '') return [];
    let auditEnd = this.auditSize;
    let journalEnd: number;
    let failedIn: 'audit' | 'journal' = 'audit';
    try {
      if (entries.length > 0) {
        const lines = entries.map((e) => `${formatAuditLine(e)}\n`).join('');
        auditEnd = await this.files.audit.writeAt(this.auditSize, lines, false);
      }
      failedIn = 'journal';
      journalEnd = await this.files.journal.writeAt(this.journalSize, journalText);
    } catch (err) {
      throw await this.rollBack(err, failedIn, entries.length > 0);
    }
    for (const request of stored) this.requests.put(request);
    this.auditSize = auditEnd;
    this.journalSize = journalEnd;
    this.head = head;
    await this.compactIfDue();
    return structuredClone(entries);
  }

  /** Undoes a half-done commit on disk; returns the error to reject with. */
  private async rollBack(
    err: unknown,
    failedIn: 'audit' | 'journal',
    wroteAudit: boolean,
  ): Promise<ClearanceError> {
    const file = this.files[failedIn].name;
    const failure = isClearanceError(err)
      ? err
      : new ClearanceError('ERR_STORE', `Could not save to ${file}: ${describeFsError(err)}`);
    if (failedIn === 'journal') {
      try {
        // Must be durable: a whole journal line on disk commits its change.
        await this.files.journal.truncate(this.journalSize, true);
      } catch (truncateErr) {
        this.broken = new ClearanceError(
          'ERR_STORE',
          `${failure.message}, and it could not be undone (${describeFsError(truncateErr)}). The last change may or may not be on disk; restart the service before writing again.`,
        );
        return this.broken;
      }
    }
    if (wroteAudit) {
      try {
        // Need not be durable: audit lines past the committed head are cut off at open.
        await this.files.audit.truncate(this.auditSize, false);
      } catch (truncateErr) {
        this.broken = new ClearanceError(
          'ERR_STORE',
          `Could not undo a failed write to ${this.files.audit.name} (${describeFsError(truncateErr)}); restart the service before writing again.`,
        );
      }
    }
    return new ClearanceError(
      'ERR_STORE',
      `${failure.message}. Nothing was changed.`,
      failure.details,
    );
  }

  /**
   * Folds the journal into a new `db.json` once it outgrows both the threshold and the
   * snapshot. Failing changes nothing that matters: the journal still holds every change. A
   * failure is logged and shown by `health()`, and the next attempt waits until the journal
   * has doubled, so that writes do not each pay for serializing the whole store again.
   */
  private async compactIfDue(): Promise<void> {
    const { snapshot, compactAfterBytes } = this.files;
    if (this.journalSize <= Math.max(compactAfterBytes, snapshot.size)) return;
    if (this.compaction && this.journalSize < this.compaction.retryAtBytes) return;
    this.files.onCompaction?.('start');
    try {
      await this.compact();
    } finally {
      this.files.onCompaction?.('end');
    }
  }

  private async compact(): Promise<void> {
    const { db, journal, audit } = this.files;
    try {
      // Emptying the journal drops the only durable copy of the audit lines appended since.
      await audit.sync();
    } catch (err) {
      this.compactionFailed(`could not sync ${AUDIT_FILE}`, err);
      return;
    }
    try {
      db.data = { version: STORE_VERSION, requests: this.requests.all(), audit: this.head };
      await db.write();
    } catch (err) {
      this.compactionFailed(`could not write a new ${DB_FILE}`, err);
      return;
    }
    try {
      await journal.truncate(0, false);
    } catch (err) {
      // The journal is as it was: its lines replay onto the new snapshot unchanged.
      this.compactionFailed(`could not empty ${JOURNAL_FILE}`, err);
      return;
    }
    this.compaction = undefined;
    this.journalSize = 0;
    try {
      await journal.sync();
    } catch (err) {
      // Old lines may come back after a crash, partly overwritten by new ones: stop writing.
      this.broken = new ClearanceError(
        'ERR_STORE',
        `Could not empty ${journal.name} (${describeFsError(err)}); restart the service before writing again.`,
      );
    }
  }

  private compactionFailed(what: string, err: unknown): void {
    const failures = (this.compaction?.failures ?? 0) + 1;
    // The store's own errors name files by their name only; Node's name the absolute path.
    const why = isClearanceError(err) ? err.message : describeFsError(err);
    this.compaction = {
      failures,
      lastFailedAt: new Date().toISOString(),
      lastError: `${what}: ${why}`,
      retryAtBytes: 2 * this.journalSize,
    };
    this.files.log?.(
      `store: compaction failed (${failures} in a row): ${what}: ${why}. ` +
        `${JOURNAL_FILE} still holds every change; next attempt once it reaches ${this.compaction.retryAtBytes} bytes.`,
    );
  }
}
