import { GENESIS_HASH, chainEntries } from '../domain/audit-chain.js';
import { ClearanceError } from '@clearance/client';
import type { AuditEntry, AuditEvent, StoredRequest } from '../domain/model.js';
import { filterAudit } from './audit-query.js';
import { RequestIndex } from './request-index.js';
import type { Store } from './store.js';

/** An in-memory Store with the semantics of the durable ones (for tests and throwaway demos). */
export function createMemoryStore(): Store {
  const requests = new RequestIndex();
  const audit: AuditEntry[] = [];
  let closed = false;

  const open = (): void => {
    if (closed) throw new ClearanceError('ERR_STORE', 'The store is closed.');
  };
  const append = (events: AuditEvent[]): AuditEntry[] => {
    const entries = chainEntries(audit.at(-1), events);
    audit.push(...entries);
    return structuredClone(entries);
  };

  return {
    async getRequest(id) {
      open();
      const found = requests.get(id);
      return found && structuredClone(found);
    },
    async findLatest(key) {
      open();
      const found = requests.findLatest(key);
      return found && structuredClone(found);
    },
    async listRequests(filter) {
      open();
      return structuredClone(requests.list(filter));
    },
    async findLatestFrozen(keys) {
      open();
      return requests.findLatestMany(keys);
    },
    async listFrozen(filter) {
      open();
      return requests.list(filter);
    },
    async requestFacets() {
      open();
      return requests.facets();
    },
    async saveRequest(request: StoredRequest, events) {
      open();
      requests.put(structuredClone(request));
      return append(events);
    },
    async auditHead() {
      open();
      const last = audit.at(-1);
      return last ? { seq: last.seq, hash: last.hash } : { seq: 0, hash: GENESIS_HASH };
    },
    async saveRequests(changes) {
      open();
      const entries: AuditEntry[] = [];
      for (const { request, events } of changes) {
        requests.put(structuredClone(request));
        entries.push(...(await append(events)));
      }
      return entries;
    },
    async appendAudit(events) {
      open();
      return append(events);
    },
    async readAudit(filter) {
      open();
      return structuredClone(filterAudit(audit, filter));
    },
    async close() {
      closed = true;
    },
  };
}
