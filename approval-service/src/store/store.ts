import type {
  AuditEntry,
  AuditEvent,
  AuditFilter,
  RequestKey,
  StoredRequest,
} from '../domain/model.js';
import type { RequestStatus } from '../client/index.js';

export interface RequestFilter {
  status?: RequestStatus[];
  stack?: string;
}

/**
 * Where the service keeps requests and the audit trail. Every implementation runs the shared
 * contract suite (`store.case.ts`). Writes are durable (fsynced) before their promise
 * resolves; a write that fails leaves the store as it was, in memory too. Callers serialize
 * mutations (the service holds one lock), so implementations need not.
 */
export interface Store {
  getRequest(id: string): Promise<StoredRequest | undefined>;
  /** The newest request for exactly this (stack, urn, policy, fingerprint). */
  findLatest(key: RequestKey): Promise<StoredRequest | undefined>;
  /** Newest first. */
  listRequests(filter?: RequestFilter): Promise<StoredRequest[]>;
  /** Inserts or replaces a request and appends its audit events, as one durable change. */
  saveRequest(request: StoredRequest, events: AuditEvent[]): Promise<AuditEntry[]>;
  /** Appends events that change no request (failed logins, run records...). */
  appendAudit(events: AuditEvent[]): Promise<AuditEntry[]>;
  /** Oldest first. */
  readAudit(filter?: AuditFilter): Promise<AuditEntry[]>;
  close(): Promise<void>;
}
