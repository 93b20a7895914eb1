import { join } from 'node:path';
import { ClearanceError, isClearanceError } from '@clearance/client';
import type { StoredRequest } from '../domain/model.js';
import {
  type StoreFs,
  describeFsError,
  errorCodeOf,
  replaceFileDurably,
  syncDirectory,
} from '../files/durable-fs.js';
import { forEachLine } from '../files/read-lines.js';
import { type ArchivedLine, ArchiveIndex } from './archive-index.js';
import { LogFile } from './log-file.js';
import { ARCHIVE_FILE, ARCHIVE_INDEX_FILE, isStoredRequest } from './store-document.js';

/** Above this many lines, a read goes through the archive in order instead of line by line. */
const SCAN_ABOVE = 256;

function archiveCorrupt(what: string): ClearanceError {
  return new ClearanceError(
    'ERR_STORE_CORRUPT',
    `${ARCHIVE_FILE} is corrupt: ${what}. It was left untouched; restore it from a backup.`,
    { file: ARCHIVE_FILE },
  );
}

/** One archive line as a request; ERR_STORE_CORRUPT naming `where` when it is not one. */
function parseLine(line: string, where: string): StoredRequest {
  let request: unknown;
  try {
    request = JSON.parse(line);
  } catch {
    throw archiveCorrupt(`${where}: not valid JSON`);
  }
  if (!isStoredRequest(request)) throw archiveCorrupt(`${where}: not a stored request`);
  return request as StoredRequest;
}

/**
 * The embedded store's closed requests on disk: `requests.jsonl`, one request a line, appended
 * to at each compaction and never rewritten, and `requests.idx`, the `ArchiveIndex` of the
 * lines, replaced durably after each append. A line the index does not cover is still in
 * `db.json` (the index is written before `db.json` drops the requests), so opening cuts such
 * lines off. A missing or damaged index is rebuilt from the lines.
 */
export class RequestArchive {
  private constructor(
    private readonly fs: StoreFs,
    private readonly dir: string,
    private readonly file: LogFile,
    /** The current index: reads take it once, and a compaction swaps in a new one. */
    public index: ArchiveIndex,
  ) {}

  static async open(
    fs: StoreFs,
    dir: string,
    log: (line: string) => void,
  ): Promise<RequestArchive> {
    const path = join(dir, ARCHIVE_FILE);
    let file: LogFile;
    let created = false;
    try {
      file = await LogFile.open(fs, path, false);
    } catch (err) {
      if (errorCodeOf(err) !== 'ENOENT') throw openError(err);
      file = await LogFile.open(fs, path, true).catch((e: unknown) => {
        throw openError(e);
      });
      created = true;
    }
    try {
      const size = await file.size();
      if (created) await syncDirectory(fs, dir);
      const stored = await readIndexFile(fs, join(dir, ARCHIVE_INDEX_FILE));
      let index = stored ?? ArchiveIndex.empty();
      if (stored && stored.archiveEnd > size) {
        throw archiveCorrupt(
          `it ends at byte ${size}, before the ${stored.archiveEnd} bytes ${ARCHIVE_INDEX_FILE} records`,
        );
      }
      const archive = new RequestArchive(fs, dir, file, index);
      if (!stored && size > 0) {
        index = await archive.rebuild(size);
        log(
          `store: ${ARCHIVE_INDEX_FILE} was missing or damaged; rebuilt it from ${ARCHIVE_FILE} (${index.count} requests).`,
        );
      } else if (size > index.archiveEnd) {
        // Lines of a compaction that did not finish: their requests are still in db.json.
        await file.truncate(index.archiveEnd, true);
        log(`store: cut off ${size - index.archiveEnd} bytes of an unfinished archive write.`);
      }
      archive.index = index;
      return archive;
    } catch (err) {
      await file.close().catch(() => {});
      throw isClearanceError(err) ? err : openError(err);
    }
  }

  /** The requests of these entries of `index` (a snapshot a read took), in their order. */
  async read(index: ArchiveIndex, entries: readonly number[]): Promise<StoredRequest[]> {
    if (entries.length > SCAN_ABOVE) return this.scanFor(index, entries);
    return Promise.all(
      entries.map(async (entry) => {
        const { offset, length } = index.lineOf(entry);
        const bytes = await this.file.read(offset, length);
        return this.checked(index, entry, bytes.toString('utf8'));
      }),
    );
  }

  /**
   * Appends these requests as lines (fsynced), then writes the index of all the archive holds;
   * resolves with that index once both are durable (the caller swaps it in). A failure leaves
   * the index as it was: the lines past it are cut off at the next open.
   */
  async append(requests: readonly Readonly<StoredRequest>[]): Promise<ArchiveIndex> {
    let offset = this.index.archiveEnd;
    let text = '';
    const lines: ArchivedLine[] = [];
    for (const request of requests) {
      const line = JSON.stringify(request);
      const length = Buffer.byteLength(line);
      lines.push({ request, offset, length });
      offset += length + 1;
      text += `${line}\n`;
    }
    const end = await this.file.writeAt(this.index.archiveEnd, text, true);
    const index = this.index.withLines(lines, end);
    await replaceFileDurably(this.fs, join(this.dir, ARCHIVE_INDEX_FILE), index.encode());
    return index;
  }

  async close(): Promise<void> {
    await this.file.close();
  }

  private checked(index: ArchiveIndex, entry: number, line: string): StoredRequest {
    const { offset } = index.lineOf(entry);
    const request = parseLine(line, `the line at byte ${offset}`);
    if (request.id !== index.idOf(entry)) {
      throw archiveCorrupt(
        `the line at byte ${offset} is not the request ${ARCHIVE_INDEX_FILE} names`,
      );
    }
    return request;
  }

  /** `read` of many entries: one pass through the lines the index covers. */
  private async scanFor(index: ArchiveIndex, entries: readonly number[]): Promise<StoredRequest[]> {
    const wanted = new Map<number, number[]>();
    entries.forEach((entry, at) => {
      const { offset } = index.lineOf(entry);
      const places = wanted.get(offset);
      if (places) places.push(at);
      else wanted.set(offset, [at]);
    });
    const found = new Array<StoredRequest>(entries.length);
    await forEachLine(this.file, index.archiveEnd, (line, _number, at) => {
      const places = wanted.get(at);
      if (places)
        for (const place of places) found[place] = this.checked(index, entries[place]!, line);
      return true;
    });
    if (found.some((request) => request === undefined)) {
      throw archiveCorrupt(`${ARCHIVE_INDEX_FILE} names lines it does not hold`);
    }
    return found;
  }

  /** The index of every whole line before `size`, written durably; a torn last line is cut off. */
  private async rebuild(size: number): Promise<ArchiveIndex> {
    const lines: ArchivedLine[] = [];
    const torn = await forEachLine(this.file, size, (line, number, offset) => {
      const request = parseLine(line, `line ${number}`);
      lines.push({ request: pick(request), offset, length: Buffer.byteLength(line) });
      return true;
    });
    const end = size - Buffer.byteLength(torn);
    if (torn !== '') await this.file.truncate(end, true);
    const index = ArchiveIndex.of(lines, end);
    await replaceFileDurably(this.fs, join(this.dir, ARCHIVE_INDEX_FILE), index.encode());
    return index;
  }
}

/** The fields the index keeps of a request, so that a rebuild does not hold every request whole. */
function pick(request: StoredRequest): StoredRequest {
  const { id, stack, urn, policy, fingerprint, status, createdAt } = request;
  return { id, stack, urn, policy, fingerprint, status, createdAt } as StoredRequest;
}

async function readIndexFile(fs: StoreFs, path: string): Promise<ArchiveIndex | undefined> {
  let bytes: Buffer;
  try {
    bytes = await fs.readFile(path);
  } catch (err) {
    if (errorCodeOf(err) === 'ENOENT') return undefined;
    throw openError(err);
  }
  return ArchiveIndex.decode(bytes);
}

function openError(err: unknown): ClearanceError {
  return new ClearanceError('ERR_STORE', `Could not open ${ARCHIVE_FILE}: ${describeFsError(err)}`);
}
