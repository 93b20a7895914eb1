import { AsyncLocalStorage } from 'node:async_hooks';
import type { AuditHead } from '../domain/audit-chain.js';
import type { AuditEntry, AuditEvent, StoredRequest } from '../domain/model.js';
import type { AuditCheckpointer } from './checkpointer.js';

/** The calls of a store that move the audit trail's head, and its close: what checkpoints follow. */
export interface TrailWriter {
  saveRequest(request: StoredRequest, events: AuditEvent[]): Promise<AuditEntry[]>;
  saveRequests(
    changes: readonly { request: StoredRequest; events: AuditEvent[] }[],
  ): Promise<AuditEntry[]>;
  appendAudit(events: AuditEvent[]): Promise<AuditEntry[]>;
  exclusive?<T>(section: () => Promise<T>): Promise<T>;
  /** The store's view inside a grouped section is a `TrailWriter` too (see `Store.grouped`). */
  grouped?<T>(
    section: (view: TrailWriter) => Promise<T>,
  ): Promise<{ value: T; durable: Promise<void> }>;
  close(): Promise<void>;
}

/** Where the trail ends after `entries` were appended; undefined for none. */
function headOf(entries: readonly AuditEntry[]): AuditHead | undefined {
  const last = entries.at(-1);
  return last && { seq: last.seq, hash: last.hash };
}

/**
 * The store, with the audit trail's head handed to the checkpointer after each durable change
 * (before the change is acknowledged) and a last checkpoint at `close`. A checkpoint that
 * cannot be written is logged and tried again at the next change: the change itself stands.
 * Inside a store's `exclusive` section (PostgreSQL), whose changes commit only as it ends, the
 * checkpointer hears of the head once the section has committed, so that it never signs a head
 * a rolled-back section would have left; inside a `grouped` one (the embedded store), once the
 * section's changes are durable. Every other call goes to the store unchanged.
 */
export function withCheckpoints<S extends TrailWriter>(
  store: S,
  checkpoints: AuditCheckpointer,
  log: (line: string) => void,
): S {
  const sections = new AsyncLocalStorage<{ head?: AuditHead }>();
  const committed = (head: AuditHead) =>
    checkpoints
      .committed(head)
      .catch((err: unknown) =>
        log(`audit checkpoint failed, retried at the next change: ${String(err)}`),
      );
  const after = async (entries: AuditEntry[]): Promise<AuditEntry[]> => {
    const head = headOf(entries);
    const section = sections.getStore();
    if (head && section) section.head = head;
    else if (head) await committed(head);
    return entries;
  };
  const exclusive = store.exclusive?.bind(store);
  const grouped = store.grouped?.bind(store);
  /** The view a grouped section writes through, noting the head its writes reach. */
  const noting = <V extends TrailWriter>(view: V, state: { head?: AuditHead }): V => {
    const note = (entries: AuditEntry[]) => {
      const head = headOf(entries);
      if (head) state.head = head;
      return entries;
    };
    return {
      ...view,
      saveRequest: async (request: StoredRequest, events: AuditEvent[]) =>
        note(await view.saveRequest(request, events)),
      saveRequests: async (changes: Parameters<TrailWriter['saveRequests']>[0]) =>
        note(await view.saveRequests(changes)),
      appendAudit: async (events: AuditEvent[]) => note(await view.appendAudit(events)),
    };
  };
  const overrides: Partial<TrailWriter> = {
    saveRequest: async (request, events) => after(await store.saveRequest(request, events)),
    saveRequests: async (changes) => after(await store.saveRequests(changes)),
    appendAudit: async (events) => after(await store.appendAudit(events)),
    ...(exclusive && {
      exclusive: async <T>(section: () => Promise<T>): Promise<T> => {
        if (sections.getStore()) return section();
        const state: { head?: AuditHead } = {};
        const result = await exclusive(() => sections.run(state, section));
        if (state.head) await committed(state.head);
        return result;
      },
    }),
    ...(grouped && {
      // The checkpointer hears of the head once the section's changes are durable.
      grouped: async <T>(section: (view: TrailWriter) => Promise<T>) => {
        const state: { head?: AuditHead } = {};
        const ran = await grouped((view) => section(noting(view, state)));
        const durable = ran.durable.then(async () => {
          if (state.head) await committed(state.head);
        });
        return { value: ran.value, durable };
      },
    }),
    close: async () => {
      try {
        await checkpoints.close();
      } catch (err) {
        log(`the shutdown audit checkpoint failed: ${String(err)}`);
      }
      await store.close();
    },
  };
  // Each of the store's methods bound once, not at every call.
  const bound = new WeakMap<object, unknown>();
  return new Proxy(store, {
    get(target, key) {
      const own = (overrides as Record<PropertyKey, unknown>)[key];
      if (own !== undefined) return own;
      const value: unknown = Reflect.get(target, key, target);
      if (typeof value !== 'function') return value;
      let method = bound.get(value);
      if (!method) {
        method = (value as (...a: unknown[]) => unknown).bind(target);
        bound.set(value, method);
      }
      return method;
    },
  });
}
