import { createHash } from 'node:crypto';
import type { RequestStatus } from '@clearance/client';
import type { RequestKey, StoredRequest } from '../domain/model.js';
import type { RequestFilter } from './store.js';

/**
 * The statuses a request can close in. A closed request only changes again when someone acts
 * on it (a denial reopened), so the embedded store keeps it on disk rather than in memory.
 */
export const CLOSED_STATUSES: readonly RequestStatus[] = ['denied', 'expired', 'revoked'];

/** Whether a request may move to the archive: closed, and no break-glass use awaits review. */
export function isArchivable(request: Readonly<StoredRequest>): boolean {
  return (
    CLOSED_STATUSES.includes(request.status) &&
    (request.breakGlass === undefined || request.breakGlass.review !== undefined)
  );
}

/** A request written to the archive: what the index keeps of it, and where its line is. */
export interface ArchivedLine {
  request: Readonly<StoredRequest>;
  offset: number;
  length: number;
}

/** FNV-1a over the UTF-16 code units of `text`: a 32-bit tag, confirmed by reading the line. */
export function tagOf(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

const STATUS_CODES = new Map(CLOSED_STATUSES.map((status, i) => [status, i]));

interface Columns {
  offset: Float64Array;
  time: Float64Array;
  length: Uint32Array;
  stack: Uint32Array;
  policy: Uint32Array;
  urnTag: Uint32Array;
  fingerprintTag: Uint32Array;
  idTag: Uint32Array;
  /** Where each id ends in the ids' bytes (it starts where the one before ends). */
  idEnd: Uint32Array;
  /** The entries sorted by fingerprint tag, then number: one fingerprint's side by side. */
  byFingerprint: Uint32Array;
  /** The entries sorted by id tag, then number. */
  byId: Uint32Array;
  status: Uint8Array;
}

const COLUMN_TYPES = {
  offset: Float64Array,
  time: Float64Array,
  length: Uint32Array,
  stack: Uint32Array,
  policy: Uint32Array,
  urnTag: Uint32Array,
  fingerprintTag: Uint32Array,
  idTag: Uint32Array,
  idEnd: Uint32Array,
  byFingerprint: Uint32Array,
  byId: Uint32Array,
  status: Uint8Array,
} as const;
const COLUMN_NAMES = Object.keys(COLUMN_TYPES) as (keyof Columns)[];
/** The columns of one entry's own values (the sorted ones are derived). */
const ENTRY_COLUMNS = COLUMN_NAMES.filter((name) => name !== 'byFingerprint' && name !== 'byId');

function emptyColumns(count: number): Columns {
  const columns = {} as Record<keyof Columns, unknown>;
  for (const name of COLUMN_NAMES) columns[name] = new COLUMN_TYPES[name](count);
  return columns as Columns;
}

/** The file header: what the columns that follow it hold. */
interface IndexHeader {
  count: number;
  /** The archive's length that the index covers. */
  archiveEnd: number;
  stacks: string[];
  policies: string[];
  /** The length of the ids' bytes, after the columns (UTF-8, one after the other). */
  idBytes: number;
}

const MAGIC = 'clearance-request-index 2\n';
const DIGEST_BYTES = 32;

/** The entries sorted by `tags`, then by number. */
function sortedBy(tags: Uint32Array): Uint32Array {
  const order = new Uint32Array(tags.length);
  for (let entry = 0; entry < order.length; entry++) order[entry] = entry;
  return order.sort((a, b) => tags[a]! - tags[b]! || a - b);
}

/** The first place in `order` whose entry's tag is at least `tag`. */
function firstAt(order: Uint32Array, tags: Uint32Array, tag: number): number {
  let low = 0;
  let high = order.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (tags[order[mid]!]! < tag) low = mid + 1;
    else high = mid;
  }
  return low;
}

/**
 * What the embedded store keeps in memory of its archived requests (`requests.jsonl`): one
 * entry per request, newest first (later `createdAt`, then later in the file), in columns of
 * typed arrays, about 80 bytes a request and no object per request: its line's place, its
 * time, status, stack and policy, its id, 32-bit tags of its id, URN and fingerprint, and the
 * entries sorted by those tags. A request's other fields are read from its line. Immutable:
 * archiving more makes a new index (`withLines`).
 */
export class ArchiveIndex {
  private constructor(
    private readonly header: IndexHeader,
    private readonly columns: Columns,
    private readonly ids: Buffer,
  ) {}

  static empty(): ArchiveIndex {
    return new ArchiveIndex(
      { count: 0, archiveEnd: 0, stacks: [], policies: [], idBytes: 0 },
      emptyColumns(0),
      Buffer.alloc(0),
    );
  }

  /** The index of these lines (later ones replace earlier ones of the same id). */
  static of(lines: readonly ArchivedLine[], archiveEnd: number): ArchiveIndex {
    return ArchiveIndex.empty().withLines(lines, archiveEnd);
  }

  get count(): number {
    return this.header.count;
  }

  /** The archive's length this index covers: bytes after it are not indexed. */
  get archiveEnd(): number {
    return this.header.archiveEnd;
  }

  /** The entry of this id, if archived. */
  entryOf(id: string): number | undefined {
    const { byId, idTag } = this.columns;
    const tag = tagOf(id);
    for (let at = firstAt(byId, idTag, tag); at < byId.length; at++) {
      const entry = byId[at]!;
      if (idTag[entry] !== tag) break;
      if (this.idOf(entry) === id) return entry;
    }
    return undefined;
  }

  idOf(entry: number): string {
    const { idEnd } = this.columns;
    return this.ids.toString('utf8', entry === 0 ? 0 : idEnd[entry - 1]!, idEnd[entry]!);
  }

  /** Where the entry's line is, and how long it is (its newline not counted). */
  lineOf(entry: number): { offset: number; length: number } {
    return { offset: this.columns.offset[entry]!, length: this.columns.length[entry]! };
  }

  /** `createdAt` in epoch ms (NaN when unparseable). */
  timeOf(entry: number): number {
    return this.columns.time[entry]!;
  }

  /** The entries that may hold `key`'s requests, newest first (confirm each by its line). */
  candidatesOf(key: RequestKey): number[] {
    const { byFingerprint, fingerprintTag } = this.columns;
    const tag = tagOf(key.fingerprint);
    const found: number[] = [];
    for (let at = firstAt(byFingerprint, fingerprintTag, tag); at < byFingerprint.length; at++) {
      const entry = byFingerprint[at]!;
      if (fingerprintTag[entry] !== tag) break;
      // Sorted by number after the tag: the entries are numbered newest first.
      found.push(entry);
    }
    return found;
  }

  /**
   * Whether the archive can hold a match for `filter`; false when its statuses, stack or policy
   * rule every archived request out (an archived request is never pending or approved).
   */
  mayMatch(filter: RequestFilter): boolean {
    if (this.header.count === 0 || filter.unreviewedBreakGlass) return false;
    if (filter.status && filter.status.length > 0) {
      if (!filter.status.some((s) => STATUS_CODES.has(s))) return false;
    }
    if (filter.stack !== undefined && !this.header.stacks.includes(filter.stack)) return false;
    if (filter.policy !== undefined && !this.header.policies.includes(filter.policy)) return false;
    return true;
  }

  /**
   * The entries, newest first, from `from` on, whose status, stack, policy and URN tag pass
   * `filter`; confirm the URN and run by the line.
   */
  *entries(filter: RequestFilter, from = 0): Generator<number> {
    if (!this.mayMatch(filter)) return;
    const { columns, header } = this;
    const statuses =
      filter.status && filter.status.length > 0
        ? new Set(filter.status.flatMap((s) => STATUS_CODES.get(s) ?? []))
        : undefined;
    const stack = filter.stack === undefined ? -1 : header.stacks.indexOf(filter.stack);
    const policy = filter.policy === undefined ? -1 : header.policies.indexOf(filter.policy);
    const urn = filter.urn === undefined ? -1 : tagOf(filter.urn);
    for (let entry = from; entry < header.count; entry++) {
      if (statuses && !statuses.has(columns.status[entry]!)) continue;
      if (stack !== -1 && columns.stack[entry] !== stack) continue;
      if (policy !== -1 && columns.policy[entry] !== policy) continue;
      if (urn !== -1 && columns.urnTag[entry] !== urn) continue;
      yield entry;
    }
  }

  stacks(): readonly string[] {
    return this.header.stacks;
  }

  policies(): readonly string[] {
    return this.header.policies;
  }

  /**
   * This index with `lines` added (archived at `archiveEnd`'s growth), each replacing an older
   * entry of its id; merged so that the entries stay newest first.
   */
  withLines(lines: readonly ArchivedLine[], archiveEnd: number): ArchiveIndex {
    const latest = new Map<string, ArchivedLine>();
    for (const line of lines) latest.set(line.request.id, line);
    const added = [...latest.values()]
      .map((line) => ({ line, time: Date.parse(line.request.createdAt) }))
      .sort((a, b) => newerFirst(a.time, a.line.offset, b.time, b.line.offset));
    const old = this.header;
    const stacks = [...old.stacks];
    const policies = [...old.policies];
    const slot = (names: string[], name: string) => {
      const at = names.indexOf(name);
      return at === -1 ? names.push(name) - 1 : at;
    };
    const kept: number[] = [];
    for (let entry = 0; entry < old.count; entry++) {
      if (latest.size === 0 || !latest.has(this.idOf(entry))) kept.push(entry);
    }
    const count = kept.length + added.length;
    const columns = emptyColumns(count);
    const idParts: Buffer[] = [];
    let idBytes = 0;
    let k = 0;
    let a = 0;
    for (let entry = 0; entry < count; entry++) {
      const oldEntry = kept[k];
      const next = added[a];
      const takeOld =
        oldEntry !== undefined &&
        (next === undefined ||
          newerFirst(
            this.columns.time[oldEntry]!,
            this.columns.offset[oldEntry]!,
            next.time,
            next.line.offset,
          ) <= 0);
      let id: Buffer;
      if (takeOld) {
        for (const name of ENTRY_COLUMNS) columns[name][entry] = this.columns[name][oldEntry]!;
        const { idEnd } = this.columns;
        id = this.ids.subarray(oldEntry === 0 ? 0 : idEnd[oldEntry - 1]!, idEnd[oldEntry]!);
        k++;
      } else {
        const { line, time } = next!;
        const { request } = line;
        columns.offset[entry] = line.offset;
        columns.length[entry] = line.length;
        columns.time[entry] = time;
        columns.stack[entry] = slot(stacks, request.stack);
        columns.policy[entry] = slot(policies, request.policy);
        columns.urnTag[entry] = tagOf(request.urn);
        columns.fingerprintTag[entry] = tagOf(request.fingerprint);
        columns.idTag[entry] = tagOf(request.id);
        columns.status[entry] = STATUS_CODES.get(request.status) ?? 255;
        id = Buffer.from(request.id, 'utf8');
        a++;
      }
      idParts.push(id);
      idBytes += id.length;
      columns.idEnd[entry] = idBytes;
    }
    columns.byFingerprint = sortedBy(columns.fingerprintTag);
    columns.byId = sortedBy(columns.idTag);
    const header = { count, archiveEnd, stacks, policies, idBytes };
    return new ArchiveIndex(header, columns, Buffer.concat(idParts, idBytes));
  }

  /** The index as `requests.idx` holds it: a header line, the columns, the ids, and their SHA-256. */
  encode(): Buffer {
    const head = Buffer.from(`${MAGIC}${JSON.stringify(this.header)}\n`, 'utf8');
    const body = COLUMN_NAMES.map((name) => {
      const column = this.columns[name];
      return Buffer.from(column.buffer, column.byteOffset, column.byteLength);
    });
    const content = Buffer.concat([head, ...body, this.ids]);
    return Buffer.concat([content, createHash('sha256').update(content).digest()]);
  }

  /** The index `encode` wrote; undefined when the bytes are not one whole (then rebuild it). */
  static decode(bytes: Buffer): ArchiveIndex | undefined {
    if (bytes.length < MAGIC.length + DIGEST_BYTES) return undefined;
    const content = bytes.subarray(0, bytes.length - DIGEST_BYTES);
    const digest = createHash('sha256').update(content).digest();
    if (!digest.equals(bytes.subarray(bytes.length - DIGEST_BYTES))) return undefined;
    if (content.toString('utf8', 0, MAGIC.length) !== MAGIC) return undefined;
    const newline = content.indexOf(0x0a, MAGIC.length);
    if (newline === -1) return undefined;
    let header: IndexHeader;
    try {
      header = JSON.parse(content.toString('utf8', MAGIC.length, newline)) as IndexHeader;
    } catch {
      return undefined;
    }
    if (!isHeader(header)) return undefined;
    const columns = emptyColumns(header.count);
    let at = newline + 1;
    for (const name of COLUMN_NAMES) {
      const column = columns[name];
      const end = at + column.byteLength;
      if (end > content.length) return undefined;
      // A copy: the typed array must start at a multiple of its element size.
      Buffer.from(column.buffer).set(content.subarray(at, end));
      at = end;
    }
    if (at + header.idBytes !== content.length) return undefined;
    if (!withinBounds(columns, header)) return undefined;
    return new ArchiveIndex(header, columns, Buffer.from(content.subarray(at)));
  }
}

/** Whether every entry number and id end a decoded index holds points inside it. */
function withinBounds(columns: Columns, header: IndexHeader): boolean {
  const { count, idBytes, stacks, policies } = header;
  let idEnd = 0;
  for (let entry = 0; entry < count; entry++) {
    if (columns.idEnd[entry]! < idEnd) return false;
    idEnd = columns.idEnd[entry]!;
    if (columns.byFingerprint[entry]! >= count || columns.byId[entry]! >= count) return false;
    if (columns.stack[entry]! >= stacks.length || columns.policy[entry]! >= policies.length) {
      return false;
    }
  }
  return idEnd === idBytes;
}

/** Whether entry a (time, offset) comes before entry b: later time, then later in the file. */
function newerFirst(aTime: number, aOffset: number, bTime: number, bOffset: number): number {
  const byTime = bTime - aTime;
  if (byTime !== 0 && !Number.isNaN(byTime)) return byTime;
  if (Number.isNaN(aTime) !== Number.isNaN(bTime)) return Number.isNaN(aTime) ? 1 : -1;
  return bOffset - aOffset;
}

function isHeader(value: unknown): value is IndexHeader {
  if (typeof value !== 'object' || value === null) return false;
  const h = value as Partial<IndexHeader>;
  const strings = (list: unknown) =>
    Array.isArray(list) && list.every((item) => typeof item === 'string');
  return (
    Number.isSafeInteger(h.count) &&
    h.count! >= 0 &&
    Number.isSafeInteger(h.archiveEnd) &&
    h.archiveEnd! >= 0 &&
    Number.isSafeInteger(h.idBytes) &&
    h.idBytes! >= 0 &&
    strings(h.stacks) &&
    strings(h.policies)
  );
}
