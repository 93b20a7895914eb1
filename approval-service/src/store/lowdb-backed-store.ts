import type { Low } from 'lowdb';
import { type AuditHead, chainEntries } from '../domain/audit-chain.js';
import { formatAuditLine } from '../domain/audit-line.js';
import { ClearanceError, isClearanceError } from '@clearance/client';
import type { AuditEntry, AuditEvent, AuditFilter, StoredRequest } from '../domain/model.js';
import { CHUNK_BYTES, forEachLine } from '../files/read-lines.js';
import { auditCorrupt, forEachLineBackward } from './audit-file.js';
import { auditMatcher } from './audit-query.js';
import type { DirectoryLock } from './directory-lock.js';
import { describeFsError } from '../files/durable-fs.js';
import type { FsyncJsonFile } from './fsync-json-file.js';
import { formatJournalLine } from './journal.js';
import type { LogFile } from './log-file.js';
import { isArchivable } from './archive-index.js';
import type { RequestArchive } from './request-archive.js';
import { RequestIndex } from './request-index.js';
import { StoredRequests } from './stored-requests.js';
import type { SavedChange, Store, StoreHealth } from './store.js';
import {
  ARCHIVE_FILE,
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
  /** The closed requests moved out of memory. */
  archive: RequestArchive;
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

/** What a store answers about its requests, as read from memory. */
type RequestReads = Pick<
  Store,
  'getRequest' | 'findLatest' | 'listRequests' | 'findLatestFrozen' | 'listFrozen' | 'requestFacets'
>;

/** A change as the store's writes take it: a request to save (if any) and its audit events. */
type ChangeToApply = { request: StoredRequest | undefined; events: AuditEvent[] };

/** Compactions failing in a row: the last failure, and the journal size of the next attempt. */
interface CompactionTrouble {
  failures: number;
  lastFailedAt: string;
  lastError: string;
  retryAtBytes: number;
}

/** A change applied in memory whose lines are not durable yet. */
interface PendingChange {
  journal: string;
  audit: string;
  /** The audit head after it. */
  head: AuditHead;
  /** What each request it saved was before (undefined: it was new), in the order saved. */
  undo: { id: string; previous: StoredRequest | undefined }[];
  /** Settles once its lines are durable, or rejects once it was undone. */
  durable: Promise<void>;
  settle: (err?: ClearanceError) => void;
}

function pendingChange(fields: Omit<PendingChange, 'durable' | 'settle'>): PendingChange {
  let settle: PendingChange['settle'] = () => {};
  const durable = new Promise<void>((resolve, reject) => {
    settle = (err) => (err ? reject(err) : resolve());
  });
  // Awaited by whoever needs it; a change nobody waits for must not reject unhandled.
  durable.catch(() => {});
  return { ...fields, durable, settle };
}

/**
 * The Store over an opened data directory. A change is applied in memory at once and its
 * lines queued; one flush at a time appends the audit lines of every change queued, then their
 * journal lines, whose one fsync commits them all (group commit). A change is acknowledged
 * once durable: `saveRequest` resolves then, and a read made outside a write section waits
 * until what it saw is durable. A flush that fails undoes, in memory and on disk, every change
 * not yet durable, and rejects them all.
 */
export class LowdbBackedStore implements Store {
  /** The requests in memory: open ones, and those closed since the last compaction. */
  private readonly requests: RequestIndex;
  /** Those over the archived ones. */
  private readonly stored: StoredRequests;
  /** The head of the trail with every change applied, and with the durable ones only. */
  private head: AuditHead;
  private durableHead: AuditHead;
  private auditSize: number;
  private journalSize: number;
  /** Applied changes waiting for the next flush, and those of the flush under way. */
  private pending: PendingChange[] = [];
  private flushing: PendingChange[] = [];
  private flushRun: Promise<void> | undefined;
  /** Counts the undoings: a write section that began before one may not write on. */
  private generation = 0;
  /** Audit reads under way: closing waits for them. */
  private readonly reads = new Set<Promise<unknown>>();
  private closed = false;
  /** Set when a failed write left the files in a state this process no longer mirrors. */
  private broken: ClearanceError | undefined;
  private compaction: CompactionTrouble | undefined;

  constructor(private readonly files: OpenedStoreFiles) {
    this.requests = RequestIndex.from(files.requests);
    this.stored = new StoredRequests(this.requests, files.archive);
    this.head = files.head;
    this.durableHead = files.head;
    this.auditSize = files.auditSize;
    this.journalSize = files.journalSize;
  }

  // Outside a write section, a read is answered once what it saw is durable (`settled`).
  private readonly settledReads = this.requestReads((read) => this.settled(read));
  readonly getRequest = this.settledReads.getRequest;
  readonly findLatest = this.settledReads.findLatest;
  readonly listRequests = this.settledReads.listRequests;
  readonly findLatestFrozen = this.settledReads.findLatestFrozen;
  readonly listFrozen = this.settledReads.listFrozen;
  readonly requestFacets = this.settledReads.requestFacets;

  /** Reads `audit.jsonl` from disk, a chunk at a time, up to the durable head (`newest`: from it back). */
  async readAudit(filter?: AuditFilter): Promise<AuditEntry[]> {
    this.ensureOpen();
    return this.tracked(this.scanAudit(filter, this.auditSize));
  }

  async auditHead(): Promise<AuditHead> {
    this.ensureOpen();
    return { ...this.durableHead };
  }

  auditText(): AsyncIterable<Uint8Array> {
    this.ensureOpen();
    const { audit } = this.files;
    // The durable end now, as `auditHead` answers it in the same turn.
    const end = this.auditSize;
    return (async function* () {
      for (let at = 0; at < end;) {
        const chunk = await audit.read(at, Math.min(CHUNK_BYTES, end - at));
        if (chunk.length === 0) {
          throw new ClearanceError('ERR_STORE', `${audit.name} ends before its committed end.`);
        }
        at += chunk.length;
        yield chunk;
      }
    })();
  }

  async saveRequest(request: StoredRequest, events: AuditEvent[]): Promise<AuditEntry[]> {
    return this.durably(this.apply([{ request, events }]));
  }

  async saveRequests(changes: readonly SavedChange[]): Promise<AuditEntry[]> {
    return this.durably(this.apply(changes));
  }

  async appendAudit(events: AuditEvent[]): Promise<AuditEntry[]> {
    return this.durably(this.apply([{ request: undefined, events }]));
  }

  /**
   * Runs one write section (its callers hold them apart) on a view of the store whose writes
   * resolve once applied and whose reads see them, so that the next section runs while this
   * one's lines are flushed, and one fsync commits the changes of many. `durable` settles once
   * every change the section made or saw is durable; it rejects (ERR_STORE) when one of them
   * was undone, and then the section's own changes are undone too.
   */
  async grouped<T>(
    section: (store: Store) => Promise<T>,
  ): Promise<{ value: T; durable: Promise<void> }> {
    this.ensureOpen();
    const generation = this.generation;
    const write = async (changes: readonly ChangeToApply[]) => {
      if (this.generation !== generation) throw this.undoneSince();
      return this.apply(changes).entries;
    };
    const view: Store = {
      // Reads see every change applied, durable or not: the section's answer waits for `durable`.
      ...this.requestReads((read) => {
        this.ensureOpen();
        return read();
      }),
      // The durable entries only (a section's own are read back once it is durable).
      readAudit: (filter) => this.readAudit(filter),
      auditText: () => this.auditText(),
      auditHead: async () => {
        this.ensureOpen();
        return { ...this.head };
      },
      saveRequest: (request, events) => write([{ request, events }]),
      saveRequests: (changes) => write(changes),
      appendAudit: (events) => write([{ request: undefined, events }]),
      close: () =>
        Promise.reject(new ClearanceError('ERR_STORE', 'A write section cannot close the store.')),
    };
    const value = await section(view);
    const last = this.lastPending();
    const durable =
      this.generation !== generation
        ? Promise.reject(this.undoneSince())
        : (last?.durable ?? Promise.resolve());
    durable.catch(() => {});
    return { value, durable };
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
    while (this.flushRun) await this.flushRun;
    await Promise.allSettled([...this.reads]);
    // Spares the next open restoring audit lines from the journal after a power loss.
    await this.files.audit.sync().catch(() => {});
    await this.files.journal.close().catch(() => {});
    await this.files.audit.close().catch(() => {});
    await this.files.archive.close().catch(() => {});
    await this.files.lock.release();
  }

  /**
   * The store's request reads, each answered through `answer` (`settled`, or at once in a
   * section). Each read takes its view of memory when called, before its first await.
   */
  private requestReads(answer: <R>(read: () => Promise<R>) => Promise<R>): RequestReads {
    // `this.stored` at call time: the reads are built before the constructor sets it.
    const stored = () => this.stored;
    const copyOf = (request: StoredRequest | undefined) => request && structuredClone(request);
    const tracked = <R>(read: () => Promise<R>) => answer(() => this.tracked(read()));
    return {
      getRequest: (id) => tracked(async () => copyOf(await stored().get(id))),
      findLatest: (key) => tracked(async () => copyOf((await stored().findLatestMany([key]))[0])),
      listRequests: (filter) => tracked(async () => structuredClone(await stored().list(filter))),
      findLatestFrozen: (keys) => tracked(() => stored().findLatestMany(keys)),
      listFrozen: (filter) => tracked(() => stored().list(filter)),
      requestFacets: () => tracked(() => stored().facets()),
    };
  }

  /** A read of the files under way: closing waits for it. */
  private async tracked<R>(read: Promise<R>): Promise<R> {
    this.reads.add(read);
    try {
      return await read;
    } finally {
      this.reads.delete(read);
    }
  }

  /** The last change applied and not yet durable. */
  private lastPending(): PendingChange | undefined {
    return this.pending.at(-1) ?? this.flushing.at(-1);
  }

  /**
   * A read outside a write section: answered once what it saw is durable, and read again if
   * that was undone (a flush failed), so that no answer shows a change that may be lost.
   */
  private async settled<T>(read: () => Promise<T>): Promise<T> {
    for (;;) {
      this.ensureOpen();
      const reading = read();
      const last = this.lastPending();
      const value = await reading;
      if (!last) return value;
      try {
        await last.durable;
        return value;
      } catch {
        // Undone: what it saw is gone; read what stands now.
      }
    }
  }

  private async durably(applied: { entries: AuditEntry[]; durable: Promise<void> }) {
    await applied.durable;
    return applied.entries;
  }

  private undoneSince(): ClearanceError {
    return new ClearanceError(
      'ERR_STORE',
      'A change this one built on could not be saved and was undone. Nothing was changed.',
    );
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

  /**
   * Applies changes in memory and queues their lines for the next flush; resolves with their
   * entries and, apart, with when they are durable. Throws (ERR_STORE) when the store refuses
   * writes, and leaves everything as it was.
   */
  private apply(changes: readonly ChangeToApply[]): {
    entries: AuditEntry[];
    durable: Promise<void>;
  } {
    this.ensureOpen();
    if (this.broken) throw this.broken;
    let head = this.head;
    const entries: AuditEntry[] = [];
    const stored: StoredRequest[] = [];
    let journal = '';
    for (const { request, events } of changes) {
      const own = chainEntries(head, events);
      if (!request && own.length === 0) continue;
      const last = own.at(-1);
      if (last) head = { seq: last.seq, hash: last.hash };
      // Stored as it is written: the JSON round trip drops undefined members and detaches the copy.
      const json = request && JSON.stringify(request);
      if (json !== undefined) stored.push(JSON.parse(json) as StoredRequest);
      journal += formatJournalLine(json, head, own);
      entries.push(...own);
    }
    if (journal === '') {
      return { entries: [], durable: this.lastPending()?.durable ?? Promise.resolve() };
    }
    const undo = stored.map((request) => {
      const previous = this.requests.get(request.id);
      this.requests.put(request);
      return { id: request.id, previous };
    });
    const audit = entries.map((e) => `${formatAuditLine(e)}\n`).join('');
    const change = pendingChange({ journal, audit, head, undo });
    this.pending.push(change);
    this.head = head;
    this.flushRun ??= this.flushAll();
    return { entries: structuredClone(entries), durable: change.durable };
  }

  /** Flushes the queued changes, batch after batch, until none is left; compacts in between. */
  private async flushAll(): Promise<void> {
    try {
      while (this.pending.length > 0 && !this.broken) {
        const batch = this.pending;
        this.pending = [];
        this.flushing = batch;
        const flushed = await this.flush(batch);
        this.flushing = [];
        if (!flushed) return;
        // A compaction due now ends before the batch is acknowledged, as it would without others.
        await this.compactIfDue();
        for (const change of batch) change.settle();
      }
      if (this.broken) this.undo([], this.broken);
    } finally {
      this.flushRun = undefined;
    }
  }

  /**
   * Appends a batch's audit lines (without an fsync), then its journal lines, in one write
   * whose fsync commits them all. On failure, undoes every change not yet durable.
   */
  private async flush(batch: readonly PendingChange[]): Promise<boolean> {
    const audit = batch.map((c) => c.audit).join('');
    const journal = batch.map((c) => c.journal).join('');
    let auditEnd = this.auditSize;
    let journalEnd: number;
    let failedIn: 'audit' | 'journal' = 'audit';
    try {
      if (audit !== '') auditEnd = await this.files.audit.writeAt(this.auditSize, audit, false);
      failedIn = 'journal';
      journalEnd = await this.files.journal.writeAt(this.journalSize, journal);
    } catch (err) {
      this.undo(batch, await this.rollBack(err, failedIn, audit !== ''));
      return false;
    }
    this.auditSize = auditEnd;
    this.journalSize = journalEnd;
    this.durableHead = batch.at(-1)?.head ?? this.durableHead;
    return true;
  }

  /** Every request as the durable changes left it (those queued since undone), in saving order. */
  private durableRequests(): StoredRequest[] {
    const before = new Map<string, StoredRequest | undefined>();
    for (const change of this.pending) {
      for (const { id, previous } of change.undo) if (!before.has(id)) before.set(id, previous);
    }
    return this.requests.all().flatMap((request) => {
      if (!before.has(request.id)) return [request];
      const previous = before.get(request.id);
      return previous ? [previous] : [];
    });
  }

  /** Undoes `batch` and every change queued after it, newest first, and rejects them with `err`. */
  private undo(batch: readonly PendingChange[], err: ClearanceError): void {
    const undone = [...batch, ...this.pending];
    this.pending = [];
    this.flushing = [];
    for (const change of [...undone].reverse()) {
      for (const { id, previous } of [...change.undo].reverse()) {
        if (previous) this.requests.put(previous);
        else this.requests.remove(id);
      }
    }
    this.head = this.durableHead;
    this.generation += 1;
    for (const change of undone) change.settle(err);
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

  /**
   * Compacts now, whatever the journal's size (opening a store an older version wrote moves its
   * closed requests to the archive). A failure is logged and shown by `health()`, as ever.
   */
  async compactNow(): Promise<void> {
    this.ensureOpen();
    while (this.flushRun) await this.flushRun;
    await this.compact();
  }

  private async compact(): Promise<void> {
    const { db, journal, audit, archive } = this.files;
    // The durable state, taken now: changes applied since, and while it is written, wait
    // unflushed until the journal has been emptied. Closed requests go to the archive.
    const durable = this.durableRequests();
    const closed = durable.filter(isArchivable);
    const document = {
      version: STORE_VERSION,
      requests: closed.length === 0 ? durable : durable.filter((r) => !isArchivable(r)),
      audit: this.durableHead,
    } as const;
    try {
      // Emptying the journal drops the only durable copy of the audit lines appended since.
      await audit.sync();
    } catch (err) {
      this.compactionFailed(`could not sync ${AUDIT_FILE}`, err);
      return;
    }
    if (closed.length > 0) {
      try {
        // Archived before db.json drops them: in both for a while, memory's copy counting.
        archive.index = await archive.append(closed);
      } catch (err) {
        this.compactionFailed(`could not archive closed requests to ${ARCHIVE_FILE}`, err);
        return;
      }
    }
    try {
      db.data = document;
      await db.write();
    } catch (err) {
      this.compactionFailed(`could not write a new ${DB_FILE}`, err);
      return;
    }
    // Memory keeps what changed since it took them (a later change is not yet durable).
    this.requests.removeMany(
      new Set(closed.filter((r) => this.requests.get(r.id) === r).map((r) => r.id)),
    );
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
