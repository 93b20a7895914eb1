import type { RequestKey, StoredRequest } from '../domain/model.js';
import { facetsOf, matchesFilter, pageOf } from './request-filter.js';
import type { RequestFacets, RequestFilter } from './store.js';

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

/** Whether two keys name the same resource state. */
export function sameKey(a: RequestKey, b: RequestKey): boolean {
  return (
    a.fingerprint === b.fingerprint &&
    a.urn === b.urn &&
    a.policy === b.policy &&
    a.stack === b.stack
  );
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

/** A slot's request, frozen deeply the first time it is handed out (once: later calls return at once). */
function frozen(slot: Slot | undefined): StoredRequest | undefined {
  return slot && deepFreeze(slot.request);
}

/**
 * Requests indexed by id and by (stack, urn, policy, fingerprint) so `findLatest` is O(1): the
 * latest request of each key is found under its fingerprint (which a key's other fields all
 * went into, so that one fingerprint rarely has more than one key), with no key string built
 * per lookup. Holds a shallow copy of each request it is given and freezes it deeply (the
 * request's inner objects with it) when it first hands it out, so that it is read-only to
 * callers and a start that loads many pays nothing for those never asked for; callers copy at
 * the boundary when a copy may be changed.
 */
export class RequestIndex {
  private readonly byId = new Map<string, Slot>();
  /** The latest request of each key, under the key's fingerprint. */
  private readonly latestByFingerprint = new Map<string, Slot[]>();
  private nextOrder = 0;

  static from(requests: Iterable<StoredRequest>): RequestIndex {
    const index = new RequestIndex();
    for (const request of requests) index.put(request);
    return index;
  }

  get(id: string): StoredRequest | undefined {
    return frozen(this.byId.get(id));
  }

  findLatest(key: RequestKey): StoredRequest | undefined {
    return frozen(this.latestOf(key));
  }

  /** The latest request of each key, in the keys' order. */
  findLatestMany(keys: readonly RequestKey[]): (StoredRequest | undefined)[] {
    return keys.map((key) => frozen(this.latestOf(key)));
  }

  put(given: StoredRequest): void {
    // A shallow copy: a schema's output of this many keys has its properties in V8's slow
    // (dictionary) form, and checks read them thousands of times a call.
    const request = { ...given };
    const existing = this.byId.get(request.id);
    const order = existing ? existing.order : this.nextOrder++;
    const slot: Slot = { request, time: Date.parse(request.createdAt), order };
    this.byId.set(request.id, slot);
    if (
      existing &&
      (!sameKey(existing.request, request) || existing.request.createdAt !== request.createdAt)
    ) {
      // A replace that moves a request to another key or time: recompute both keys.
      this.rebuildKey(existing.request);
      this.rebuildKey(request);
      return;
    }
    const latest = this.latestOf(request);
    if (!latest || latest.request.id === request.id || newerFirst(slot, latest) < 0) {
      this.setLatest(request, slot);
    }
  }

  /** Forgets a request (undoing its first save); the latest of its key is found again. */
  remove(id: string): void {
    const slot = this.byId.get(id);
    if (!slot) return;
    this.byId.delete(id);
    if (this.latestOf(slot.request) === slot) this.rebuildKey(slot.request);
  }

  /** Forgets many requests at once (archived): one pass finds the latest of their keys again. */
  removeMany(ids: ReadonlySet<string>): void {
    const orphaned = new Set<string>();
    for (const id of ids) {
      const slot = this.byId.get(id);
      if (!slot) continue;
      this.byId.delete(id);
      if (this.latestOf(slot.request) === slot) {
        this.setLatest(slot.request, undefined);
        orphaned.add(requestKeyOf(slot.request));
      }
    }
    if (orphaned.size === 0) return;
    for (const slot of this.byId.values()) {
      if (!orphaned.has(requestKeyOf(slot.request))) continue;
      const latest = this.latestOf(slot.request);
      if (!latest || newerFirst(slot, latest) < 0) this.setLatest(slot.request, slot);
    }
  }

  /** Every request, newest first, optionally filtered and paged. */
  list(filter: RequestFilter = {}): StoredRequest[] {
    const matches = [...this.byId.values()]
      .filter((slot) => matchesFilter(slot.request, filter))
      .sort(newerFirst);
    return pageOf(matches, filter).map((slot) => deepFreeze(slot.request));
  }

  /** Whether a request with this id is held. */
  has(id: string): boolean {
    return this.byId.has(id);
  }

  /** The ids held. */
  ids(): IterableIterator<string> {
    return this.byId.keys();
  }

  /** How many requests are held. */
  get size(): number {
    return this.byId.size;
  }

  /** The distinct stacks and policies held. */
  facets(): RequestFacets {
    return facetsOf([...this.byId.values()].map((slot) => slot.request));
  }

  all(): StoredRequest[] {
    return [...this.byId.values()]
      .sort((a, b) => a.order - b.order)
      .map((slot) => deepFreeze(slot.request));
  }

  private latestOf(key: RequestKey): Slot | undefined {
    const slots = this.latestByFingerprint.get(key.fingerprint);
    if (slots) for (const slot of slots) if (sameKey(slot.request, key)) return slot;
    return undefined;
  }

  /** Makes `slot` the latest of `key`, or, given none, forgets the key. */
  private setLatest(key: RequestKey, slot: Slot | undefined): void {
    const slots = this.latestByFingerprint.get(key.fingerprint);
    const at = slots ? slots.findIndex((s) => sameKey(s.request, key)) : -1;
    if (slot && !slots) this.latestByFingerprint.set(key.fingerprint, [slot]);
    else if (slot && slots) slots.splice(at === -1 ? slots.length : at, 1, slot);
    else if (slots && at !== -1) {
      slots.splice(at, 1);
      if (slots.length === 0) this.latestByFingerprint.delete(key.fingerprint);
    }
  }

  /** Recomputes the latest request of one key by a scan (rare: see `put`). */
  private rebuildKey(key: RequestKey): void {
    let latest: Slot | undefined;
    for (const slot of this.byId.values()) {
      if (!sameKey(slot.request, key)) continue;
      if (!latest || newerFirst(slot, latest) < 0) latest = slot;
    }
    this.setLatest(key, latest);
  }
}
