import { ClearanceError } from '@clearance/client';
import type { AuditEvent } from '../domain/model.js';
import type { Store } from './store.js';

/** What `copyStore` moved. */
export interface CopiedStore {
  requests: number;
  auditEntries: number;
}

const BATCH = 500;

/**
 * Copies every request and audit entry of `from` into `to`, which must be empty. Requests go
 * oldest first, so the newest of each key stays the newest. Audit entries are chained again in
 * their order from the start of the trail, which gives each the same seq and hash only if
 * nothing was changed: any entry that comes out different stops the copy (ERR_STORE_CORRUPT),
 * so a copied trail is the trail. Run it with the service stopped.
 */
export async function copyStore(from: Store, to: Store): Promise<CopiedStore> {
  const [anyRequest] = await to.listFrozen();
  const [anyEntry] = await to.readAudit({ limit: 1 });
  if (anyRequest || anyEntry) {
    throw new ClearanceError(
      'ERR_CONFLICT',
      'the target store is not empty: copy only into a new database or data directory',
    );
  }
  const requests = (await from.listRequests()).reverse();
  for (const request of requests) await to.saveRequest(request, []);
  const entries = await from.readAudit();
  for (let start = 0; start < entries.length; start += BATCH) {
    const batch = entries.slice(start, start + BATCH);
    const events = batch.map(({ time, actor, action, subject, data }): AuditEvent => ({
      time,
      actor,
      action,
      subject,
      ...(data === undefined ? {} : { data }),
    }));
    const written = await to.appendAudit(events);
    written.forEach((entry, i) => {
      const original = batch[i];
      if (entry.hash !== original?.hash || entry.seq !== original.seq) {
        throw new ClearanceError(
          'ERR_STORE_CORRUPT',
          `audit entry ${original?.seq ?? entry.seq} does not chain to the hash it records: the source trail was altered (run clearance audit verify on it)`,
        );
      }
    });
  }
  return { requests: requests.length, auditEntries: entries.length };
}
