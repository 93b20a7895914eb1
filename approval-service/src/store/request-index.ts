import type { RequestKey, StoredRequest } from '../domain/model.js';
import type { RequestFilter } from './store.js';

/** The identity of a request key as one string (length prefixes keep it unambiguous). */
export function requestKeyOf(key: RequestKey): string {
  const { stack, urn, policy, fingerprint } = key;
  return `${stack.length}:${stack}${urn.length}:${urn}${policy.length}:${policy}${fingerprint}`;
}

interface Slot {
  request: StoredRequest;
  /** `createdAt` in epoch ms (NaN when unparseable). */
  time: number;
  /** Order of first insertion: breaks ties between equal `createdAt`. */
  order: number;
}

/** Newer first: later `createdAt`, then later first insertion. */
function newerFirst(a: Slot, b: Slot): number {
  const byTime = b.time - a.time;
  if (byTime !== 0 && !Number.isNaN(byTime)) return byTime;
  return b.order - a.order;
}

/** Freezes `value` and everything inside it; returns it. */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}

/**
 * Requests indexed by id and by (stack, urn, policy, fingerprint) so `findLatest` is O(1).
 * Holds the objects it is given and freezes them deeply, so they can be handed out read-only;
 * callers copy at the boundary when a copy may be changed.
 */
export class RequestIndex {
  private readonly byId = new Map<string, Slot>();
  private readonly latestByKey = new Map<string, Slot>();
  private nextOrder = 0;

  static from(requests: Iterable<StoredRequest>): RequestIndex {
    const index = new RequestIndex();
    for (const request of requests) index.put(request);
    return index;
  }

  get(id: string): StoredRequest | undefined {
    return this.byId.get(id)?.request;
  }

  findLatest(key: RequestKey): StoredRequest | undefined {
    return this.latestByKey.get(requestKeyOf(key))?.request;
  }

  /** The latest request of each key, in the keys' order. */
  findLatestMany(keys: readonly RequestKey[]): (StoredRequest | undefined)[] {
    return keys.map((key) => this.latestByKey.get(requestKeyOf(key))?.request);
  }

  put(request: StoredRequest): void {
    deepFreeze(request);
    const existing = this.byId.get(request.id);
    const order = existing ? existing.order : this.nextOrder++;
    const slot: Slot = { request, time: Date.parse(request.createdAt), order };
    this.byId.set(request.id, slot);
    const key = requestKeyOf(request);
    if (
      existing &&
      (requestKeyOf(existing.request) !== key || existing.request.createdAt !== request.createdAt)
    ) {
      // A replace that moves a request to another key or time: recompute both keys.
      this.rebuildKey(requestKeyOf(existing.request));
      this.rebuildKey(key);
      return;
    }
    const latest = this.latestByKey.get(key);
    if (!latest || latest.request.id === request.id || newerFirst(slot, latest) < 0) {
      this.latestByKey.set(key, slot);
    }
  }

  /** Every request, newest first, optionally filtered. */
  list(filter: RequestFilter = {}): StoredRequest[] {
    const statuses = filter.status && filter.status.length > 0 ? new Set(filter.status) : undefined;
    return [...this.byId.values()]
      .filter(
        (slot) =>
          (statuses === undefined || statuses.has(slot.request.status)) &&
          (filter.stack === undefined || slot.request.stack === filter.stack) &&
          (filter.run === undefined || (slot.request.blockedRuns ?? []).includes(filter.run)),
      )
      .sort(newerFirst)
      .map((slot) => slot.request);
  }

  all(): StoredRequest[] {
    return [...this.byId.values()].sort((a, b) => a.order - b.order).map((slot) => slot.request);
  }

  /** Recomputes the latest request of one key by a scan (rare: see `put`). */
  private rebuildKey(id: string): void {
    let latest: Slot | undefined;
    for (const slot of this.byId.values()) {
      if (requestKeyOf(slot.request) !== id) continue;
      if (!latest || newerFirst(slot, latest) < 0) latest = slot;
    }
    if (latest) this.latestByKey.set(id, latest);
    else this.latestByKey.delete(id);
  }
}
