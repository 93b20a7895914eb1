import type { Low } from 'lowdb';
import { type AuditHead, chainEntries } from '../audit/chain.js';
import { formatAuditLine } from '../audit/audit-line.js';
import { ClearanceError, isClearanceError } from '../client/errors.js';
import type {
  AuditEntry,
  AuditEvent,
  AuditFilter,
  RequestKey,
  StoredRequest,
} from '../domain/model.js';
import type { AuditLogFile } from './audit-log-file.js';
import { filterAudit } from './audit-query.js';
import type { DirectoryLock } from './directory-lock.js';
import { describeFsError } from './durable-fs.js';
import { RequestIndex } from './request-index.js';
import type { RequestFilter, Store } from './store.js';
import type { StoreDocument } from './store-document.js';

/**
 * The Store over an opened data directory. A change is applied to a copy of the document,
 * written (audit lines first, then db.json) and swapped in only once both are durable.
 */
export class LowdbBackedStore implements Store {
  private readonly requests: RequestIndex;
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;
  /** Set when a failed write left the files in a state this process no longer mirrors. */
  private broken: ClearanceError | undefined;

  constructor(
    private readonly db: Low<StoreDocument>,
    private readonly audit: AuditLogFile,
    private readonly lock: DirectoryLock,
    private readonly entries: AuditEntry[],
    private auditSize: number,
  ) {
    this.requests = RequestIndex.from(db.data.requests);
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

  async readAudit(filter?: AuditFilter): Promise<AuditEntry[]> {
    this.ensureOpen();
    return structuredClone(filterAudit(this.entries, filter));
  }

  saveRequest(request: StoredRequest, events: AuditEvent[]): Promise<AuditEntry[]> {
    return this.serialized(() => this.commit(events, request));
  }

  appendAudit(events: AuditEvent[]): Promise<AuditEntry[]> {
    return this.serialized(() => this.commit(events, undefined));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.queue;
    await this.audit.close().catch(() => {});
    await this.lock.release();
  }

  private ensureOpen(): void {
    if (this.closed) throw new ClearanceError('ERR_STORE', 'The store is closed.');
  }

  private serialized<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => {});
    return run;
  }

  /** Writes the audit lines, then commits db.json; memory changes only once both are durable. */
  private async commit(
    events: AuditEvent[],
    request: StoredRequest | undefined,
  ): Promise<AuditEntry[]> {
    this.ensureOpen();
    if (this.broken) throw this.broken;
    const stored = request && (JSON.parse(JSON.stringify(request)) as StoredRequest);
    const entries = chainEntries(this.head(), events);
    if (!stored && entries.length === 0) return [];
    const current = this.db.data;
    const next: StoreDocument = {
      version: 1,
      requests: stored ? replaceById(current.requests, stored) : current.requests,
      audit: this.head(entries),
    };
    let auditEnd = this.auditSize;
    try {
      if (entries.length > 0) {
        auditEnd = await this.audit.writeAt(
          this.auditSize,
          entries.map((e) => `${formatAuditLine(e)}\n`).join(''),
        );
      }
      this.db.data = next;
      await this.db.write();
    } catch (err) {
      this.db.data = current;
      throw await this.rollBack(err, entries.length > 0);
    }
    if (stored) this.requests.put(stored);
    this.entries.push(...entries);
    this.auditSize = auditEnd;
    return structuredClone(entries);
  }

  /** Undoes a half-done commit on disk; returns the error to reject with. */
  private async rollBack(err: unknown, wroteAudit: boolean): Promise<ClearanceError> {
    const failure = isClearanceError(err)
      ? err
      : new ClearanceError(
          'ERR_STORE',
          `Could not save to ${this.audit.path}: ${describeFsError(err)}`,
        );
    if (isClearanceError(err) && err.details?.committed === true) {
      this.broken = new ClearanceError(
        'ERR_STORE',
        `${failure.message}. The last change may or may not be on disk; restart the service before writing again.`,
      );
      return this.broken;
    }
    if (wroteAudit) {
      try {
        // Need not be durable: lines past the head that db.json records are cut off at open.
        await this.audit.truncate(this.auditSize, false);
      } catch (truncateErr) {
        this.broken = new ClearanceError(
          'ERR_STORE',
          `Could not undo a failed write to ${this.audit.path} (${describeFsError(truncateErr)}); restart the service before writing again.`,
        );
      }
    }
    return new ClearanceError(
      'ERR_STORE',
      `${failure.message}. Nothing was changed.`,
      failure.details,
    );
  }

  private head(after: AuditEntry[] = []): AuditHead {
    const last = after.at(-1) ?? this.entries.at(-1);
    return last ? { seq: last.seq, hash: last.hash } : this.db.data.audit;
  }
}

function replaceById(requests: StoredRequest[], request: StoredRequest): StoredRequest[] {
  const at = requests.findIndex((r) => r.id === request.id);
  return at < 0 ? [...requests, request] : requests.with(at, request);
}
