import type { AuditHead } from '../domain/audit-chain.js';
import type {
  AuditEntry,
  AuditEvent,
  AuditFilter,
  RequestKey,
  StoredRequest,
} from '../domain/model.js';
import type { RequestStatus } from '@clearance/client';
import type { SignInRecords } from '../auth/oidc-flows.js';
import type { CheckpointRecords } from '../domain/checkpoint-records.js';

/**
 * A request as the store holds it, shared instead of copied and deeply frozen: for large
 * read-only answers. Changing it throws; save a changed copy instead.
 */
export type FrozenRequest = Readonly<StoredRequest>;

/** What a store reports about itself for `/healthz`: empty while all is well. */
export interface StoreHealth {
  /** Folding the journal into the snapshot keeps failing (writes still succeed). */
  compaction?: { ok: false; failures: number; lastFailedAt: string; lastError: string };
  /** The database does not answer (PostgreSQL): since when, and the last error. */
  database?: { ok: false; since: string; error: string };
}

export interface RequestFilter {
  /** Any of these statuses (as last saved); absent or empty means any status. */
  status?: RequestStatus[] | undefined;
  stack?: string | undefined;
  /** Only requests tagged with this run id (`StoredRequest.blockedRuns`). */
  run?: string | undefined;
  policy?: string | undefined;
  urn?: string | undefined;
  /** Only break-glass approvals nobody has reviewed yet. */
  unreviewedBreakGlass?: boolean | undefined;
  /** A page of the matches, newest first: skips this many... */
  offset?: number | undefined;
  /** ...and answers at most this many. */
  limit?: number | undefined;
}

/** The distinct stacks and policies of every stored request, sorted: a list's filter choices. */
export interface RequestFacets {
  stacks: string[];
  policies: string[];
}

/**
 * The console's sessions kept by a store that replicas share (PostgreSQL), by session id, as
 * JSON; `load` answers undefined for an unknown one. `save` also deletes the sessions that
 * expired by `nowMs` (the caller's clock, which judges expiry).
 */
export interface SessionRecords {
  load(id: string): Promise<unknown>;
  save(id: string, session: unknown, expiresAtMs: number, nowMs: number): Promise<void>;
  remove(id: string): Promise<void>;
}

/** A webhook delivery waiting in a store that replicas share, as one replica claimed it. */
export interface QueuedDelivery {
  id: string;
  delivery: unknown;
  /** The attempts made so far, by any replica. */
  attempts: number;
}

/**
 * Webhook deliveries still to send, kept by a store that replicas share (PostgreSQL), so that
 * each is made once whichever replica queued it, and one a stopped replica left is sent by
 * another. A replica `claim`s due deliveries for a lease; `retry` puts one back, due later, and
 * `done` removes it, both only for the replica holding it. Times are the callers' clock (ms).
 */
export interface DeliveryRecords {
  add(deliveries: readonly { id: string; delivery: unknown }[], nowMs: number): Promise<void>;
  /** Up to `limit` deliveries due by `nowMs` that no live lease holds, leased to `owner`. */
  claim(owner: string, nowMs: number, leaseMs: number, limit: number): Promise<QueuedDelivery[]>;
  retry(id: string, owner: string, attempts: number, dueMs: number): Promise<void>;
  done(id: string, owner: string): Promise<void>;
  /** Ends the leases `owner` holds (it is stopping): the deliveries are due to the others. */
  release(owner: string): Promise<void>;
}

/**
 * Where the service keeps requests and the audit trail. Every implementation runs the shared
 * contract suite (`store.case.ts`). Writes are durable (fsynced) before their promise
 * resolves; a write that fails leaves the store as it was, in memory too. Callers serialize
 * mutations (the service holds one lock), so implementations need not.
 */
/** A request to insert or replace, with the audit events of its change. */
export interface SavedChange {
  request: StoredRequest;
  events: AuditEvent[];
}

export interface Store {
  getRequest(id: string): Promise<StoredRequest | undefined>;
  /** The newest request (latest `createdAt`, then latest first save) for exactly this (stack, urn, policy, fingerprint). */
  findLatest(key: RequestKey): Promise<StoredRequest | undefined>;
  /** Newest first, in the order of `findLatest`. */
  listRequests(filter?: RequestFilter): Promise<StoredRequest[]>;
  /**
   * `findLatest` for many keys in one pass, answered in their order (undefined where none),
   * without copying: a whole stack's checks.
   */
  findLatestFrozen(keys: readonly RequestKey[]): Promise<(FrozenRequest | undefined)[]>;
  /** `listRequests` without copying. */
  listFrozen(filter?: RequestFilter): Promise<FrozenRequest[]>;
  requestFacets(): Promise<RequestFacets>;
  /**
   * Inserts or replaces a request and appends its audit events, as one durable change; resolves
   * with the chained entries. Rejects with ERR_STORE and changes nothing when it cannot save.
   */
  saveRequest(request: StoredRequest, events: AuditEvent[]): Promise<AuditEntry[]>;
  /**
   * `saveRequest` of each change in turn, made durable together: one fsync (on PostgreSQL, one
   * transaction). Once it resolves all are saved; a crash before that may leave the first few
   * saved, each whole. Resolves with the chained entries of all; rejects with ERR_STORE.
   */
  saveRequests(changes: readonly SavedChange[]): Promise<AuditEntry[]>;
  /** The last entry of the audit trail the store has committed ({seq: 0, hash: GENESIS_HASH} when empty). */
  auditHead(): Promise<AuditHead>;
  /**
   * The trail as `audit.jsonl` holds it (JSON Lines), up to the head committed when called, a
   * chunk at a time: an export of any size without holding it (the embedded store). Absent:
   * `readAudit`.
   */
  auditText?(): AsyncIterable<Uint8Array>;
  /** Appends events that change no request (failed logins, run records...). */
  appendAudit(events: AuditEvent[]): Promise<AuditEntry[]>;
  /** Oldest first. `since` is inclusive, `until` exclusive; `limit` keeps the oldest matches. */
  readAudit(filter?: AuditFilter): Promise<AuditEntry[]>;
  /**
   * Runs a read-modify-write section so that no other process writes in between, all of it
   * applied or none (PostgreSQL, shared by replicas). Absent where one process owns the store.
   */
  exclusive?<T>(section: () => Promise<T>): Promise<T>;
  /**
   * Runs one write section of the service's lock (see `Mutex`) on a view of the store whose
   * writes resolve once applied (reads inside see them), so that the next section runs while
   * this one's are made durable together with it (group commit: the embedded store). Resolves
   * with the section's result and `durable`, which settles once every change the section made
   * or saw is durable, or rejects (ERR_STORE) when one was undone. Absent where each write is
   * durable when it resolves.
   */
  grouped?<T>(section: (store: Store) => Promise<T>): Promise<{ value: T; durable: Promise<void> }>;
  /** Console sessions in the store, so that a restart or another replica keeps them (PostgreSQL). */
  sessions?: SessionRecords;
  /** Webhook deliveries still to send, shared by replicas (PostgreSQL). */
  deliveries?: DeliveryRecords;
  /**
   * The audit trail's signed checkpoints and their keys, one chain for all replicas
   * (PostgreSQL); absent where they are files of the data directory.
   */
  checkpoints?: CheckpointRecords;
  /** Single sign-ons under way, so that one begun on a replica finishes on another (PostgreSQL). */
  signIns?: SignInRecords;
  /** A random key the replicas of one database share (PostgreSQL): the login form's HMAC key. */
  loginFormKey?: Buffer;
  /** Trouble the store works around (a failing compaction), for `/healthz`. */
  health?(): StoreHealth;
  /** Releases the store; later calls reject. Closing twice is harmless. */
  close(): Promise<void>;
}
