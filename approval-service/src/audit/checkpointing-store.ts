import type { AuditEntry, AuditEvent, StoredRequest } from '../domain/model.js';
import type { AuditCheckpointer } from './checkpointer.js';

/** The calls of a store that move the audit trail's head, and its close: what checkpoints follow. */
export interface TrailWriter {
  saveRequest(request: StoredRequest, events: AuditEvent[]): Promise<AuditEntry[]>;
  appendAudit(events: AuditEvent[]): Promise<AuditEntry[]>;
  close(): Promise<void>;
}

/**
 * The store, with the audit trail's head handed to the checkpointer after each durable change
 * (before the change is acknowledged) and a last checkpoint at `close`. A checkpoint that
 * cannot be written is logged and tried again at the next change: the change itself stands.
 * Every other call goes to the store unchanged.
 */
export function withCheckpoints<S extends TrailWriter>(
  store: S,
  checkpoints: AuditCheckpointer,
  log: (line: string) => void,
): S {
  const after = async (entries: AuditEntry[]): Promise<AuditEntry[]> => {
    const last = entries.at(-1);
    if (last) {
      await checkpoints
        .committed({ seq: last.seq, hash: last.hash })
        .catch((err: unknown) =>
          log(`audit checkpoint failed, retried at the next change: ${String(err)}`),
        );
    }
    return entries;
  };
  const overrides: Partial<TrailWriter> = {
    saveRequest: async (request, events) => after(await store.saveRequest(request, events)),
    appendAudit: async (events) => after(await store.appendAudit(events)),
    close: async () => {
      try {
        await checkpoints.close();
      } catch (err) {
        log(`the shutdown audit checkpoint failed: ${String(err)}`);
      }
      await store.close();
    },
  };
  return new Proxy(store, {
    get(target, key) {
      const own = (overrides as Record<PropertyKey, unknown>)[key];
      if (own !== undefined) return own;
      const value: unknown = Reflect.get(target, key, target);
      return typeof value === 'function'
        ? (value as (...a: unknown[]) => unknown).bind(target)
        : value;
    },
  });
}
