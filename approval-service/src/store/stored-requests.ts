import type { RequestKey, StoredRequest } from '../domain/model.js';
import type { ArchiveIndex } from './archive-index.js';
import type { RequestArchive } from './request-archive.js';
import { matchesFilter, pageOf, withoutPaging } from './request-filter.js';
import { type RequestIndex, deepFreeze, sameKey } from './request-index.js';
import type { RequestFacets, RequestFilter } from './store.js';

/** One place of a merged list: a request in memory, or an archive entry still to read. */
type Place = { live: StoredRequest } | { entry: number };

/**
 * The embedded store's requests: those in memory (`RequestIndex`: open, or closed since the
 * last compaction) over those in the archive on disk. A request in memory replaces its
 * archived copy. Each read takes what it needs of memory, and the archive's index, before its
 * first await, so that a write or compaction after that does not change its answer. Answers
 * are frozen, shared with memory where they come from it.
 */
export class StoredRequests {
  constructor(
    private readonly live: RequestIndex,
    private readonly archive: RequestArchive,
  ) {}

  async get(id: string): Promise<StoredRequest | undefined> {
    const found = this.live.get(id);
    const { index } = this.archive;
    const entry = found ? undefined : index.entryOf(id);
    if (entry === undefined) return found;
    const [request] = await this.archive.read(index, [entry]);
    return deepFreeze(request);
  }

  /** The latest request of each key, in the keys' order. */
  async findLatestMany(keys: readonly RequestKey[]): Promise<(StoredRequest | undefined)[]> {
    const found = this.live.findLatestMany(keys);
    const { index } = this.archive;
    if (index.count === 0) return found;
    // Each key's archived candidates newer than what memory holds, newest first.
    const pending = keys.flatMap((key, at) => {
      const liveTime = found[at] ? Date.parse(found[at]!.createdAt) : -Infinity;
      const candidates = index
        .candidatesOf(key)
        .filter((entry) => !this.live.has(index.idOf(entry)) && !(index.timeOf(entry) <= liveTime));
      return candidates.length > 0 ? [{ key, at, candidates }] : [];
    });
    // The first candidate of each is its key's but for a tag collision: then the next is read.
    while (pending.length > 0) {
      const read = await this.archive.read(
        index,
        pending.map((p) => p.candidates[0]!),
      );
      for (let i = pending.length - 1; i >= 0; i--) {
        const waiting = pending[i]!;
        const request = read[i]!;
        waiting.candidates.shift();
        if (sameKey(request, waiting.key)) found[waiting.at] = deepFreeze(request);
        if (sameKey(request, waiting.key) || waiting.candidates.length === 0) pending.splice(i, 1);
      }
    }
    return found;
  }

  /** The matches of `filter`, newest first, paged as it asks. */
  async list(filter: RequestFilter = {}): Promise<StoredRequest[]> {
    const live = this.live.list(withoutPaging(filter));
    const { index } = this.archive;
    if (!index.mayMatch(filter)) return pageOf(live, filter);
    const shadowed = this.shadowed(index);
    const entries = filterEntries(index.entries(filter), shadowed);
    // The URN's and run's own values are only in the lines: read the candidates to confirm.
    if (filter.urn !== undefined || filter.run !== undefined) {
      const read = await this.archive.read(index, [...entries]);
      const matches = read.filter((r) => matchesFilter(r, filter));
      // A stable sort: memory first where the times are equal (it was saved later).
      const merged = [...live, ...matches].sort(
        (a, b) => timeOrLast(b.createdAt) - timeOrLast(a.createdAt),
      );
      return pageOf(merged, filter).map((r) => deepFreeze(r));
    }
    const offset = filter.offset ?? 0;
    const limit = filter.limit ?? Infinity;
    const page: Place[] = [];
    let skipped = 0;
    for (const place of newestFirst(live, entries, index)) {
      if (page.length >= limit) break;
      if (skipped < offset) skipped++;
      else page.push(place);
    }
    const toRead = page.flatMap((place) => ('entry' in place ? [place.entry] : []));
    const read = await this.archive.read(index, toRead);
    let next = 0;
    return page.map((place) => ('live' in place ? place.live : deepFreeze(read[next++]!)));
  }

  async facets(): Promise<RequestFacets> {
    const live = this.live.facets();
    const { index } = this.archive;
    const merged = (own: string[], archived: readonly string[]) =>
      [...new Set([...own, ...archived])].sort();
    return {
      stacks: merged(live.stacks, index.stacks()),
      policies: merged(live.policies, index.policies()),
    };
  }

  /** The archive entries whose request memory holds anew (a denial reopened, say). */
  private shadowed(index: ArchiveIndex): Set<number> {
    const entries = new Set<number>();
    for (const id of this.live.ids()) {
      const entry = index.entryOf(id);
      if (entry !== undefined) entries.add(entry);
    }
    return entries;
  }
}

/** A time to sort by, newest first: an unparseable one last. */
function timeOrLast(createdAt: string): number {
  const time = Date.parse(createdAt);
  return Number.isNaN(time) ? -Infinity : time;
}

function* filterEntries(entries: Iterable<number>, shadowed: Set<number>): Generator<number> {
  for (const entry of entries) if (shadowed.size === 0 || !shadowed.has(entry)) yield entry;
}

/**
 * Requests from memory (newest first) and archive entries (newest first), merged newest
 * first, lazily; memory first where the times are equal (it was saved later).
 */
function* newestFirst(
  live: readonly StoredRequest[],
  entries: Iterable<number>,
  index: ArchiveIndex,
): Generator<Place> {
  const archived = entries[Symbol.iterator]();
  let entry = archived.next();
  let l = 0;
  while (l < live.length || !entry.done) {
    const request = live[l];
    const archiveTime = entry.done ? -Infinity : timeOrLastOf(index.timeOf(entry.value));
    if (request && (entry.done || timeOrLast(request.createdAt) >= archiveTime)) {
      yield { live: request };
      l++;
    } else if (!entry.done) {
      yield { entry: entry.value };
      entry = archived.next();
    }
  }
}

const timeOrLastOf = (time: number) => (Number.isNaN(time) ? -Infinity : time);
