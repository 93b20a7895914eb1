import { ClearanceError } from '@clearance/client';
import { type AuditHead, GENESIS_HASH } from '../domain/audit-chain.js';
import type { AuditEntry } from '../domain/model.js';
import { CHUNK_BYTES } from '../files/read-lines.js';
import type { LogFile } from './log-file.js';

/** The part of `audit.jsonl` an open reads: the lines after `from` (all of them from genesis). */
export interface AuditFileTail {
  /** The entry the lines continue: the trusted checkpoint's, or seq 0 at the file's start. */
  from: AuditHead;
  /** Where the lines start in the file. */
  offset: number;
  /** The file from `offset` to its end. */
  text: Buffer;
}

/** What an open reads of an `audit.jsonl` that does not exist yet. */
export function emptyTail(): AuditFileTail {
  return { from: { seq: 0, hash: GENESIS_HASH }, offset: 0, text: Buffer.alloc(0) };
}

export function auditCorrupt(name: string, what: string): ClearanceError {
  return new ClearanceError(
    'ERR_STORE_CORRUPT',
    `${name} is corrupt: ${what}. It was left untouched; run \`clearance audit verify\` for details.`,
    { file: name },
  );
}

/**
 * Where the line of entry `seq` starts in `file`, searched from the end back, as the store
 * writes lines (`{"seq":N,` first, one line each). Undefined when no line starts so.
 */
async function findLineOf(
  file: LogFile,
  size: number,
  seq: number,
  chunkBytes: number,
): Promise<number | undefined> {
  const needle = Buffer.from(`\n{"seq":${seq},`, 'utf8');
  if (seq === 1) {
    const start = await file.read(0, needle.length - 1);
    if (start.equals(needle.subarray(1))) return 0;
  }
  let end = size;
  while (end > 0) {
    const start = Math.max(0, end - chunkBytes);
    // Runs on past `end` by a needle's length, so that a match across two reads is found.
    const chunk = await file.read(start, Math.min(size, end + needle.length) - start);
    const at = chunk.lastIndexOf(needle);
    if (at >= 0) return start + at + 1;
    end = start;
  }
  return undefined;
}

/**
 * Reads what an open must check of `audit.jsonl`. Given `trusted`, the last signed checkpoint
 * (at or before the store's `head`), and a line of it in the file, that line must be the entry
 * it signed, whole, and only the lines after it are read; otherwise the whole file is.
 */
export async function readAuditTail(
  file: LogFile,
  head: AuditHead,
  trusted: AuditHead | undefined,
  chunkBytes = CHUNK_BYTES,
): Promise<AuditFileTail> {
  const size = await file.size();
  const whole = async (): Promise<AuditFileTail> => ({
    ...emptyTail(),
    text: await file.read(0, size),
  });
  if (!trusted || trusted.seq === 0 || trusted.seq > head.seq) return whole();
  const lineStart = await findLineOf(file, size, trusted.seq, chunkBytes);
  if (lineStart === undefined) return whole();
  const text = await file.read(lineStart, size - lineStart);
  const lineEnd = text.indexOf(0x0a);
  // Unfinished (its end had not reached the disk): the journal may restore it.
  if (lineEnd < 0) return whole();
  let entry: Partial<AuditEntry> | undefined;
  try {
    entry = JSON.parse(text.toString('utf8', 0, lineEnd)) as AuditEntry;
  } catch {
    entry = undefined;
  }
  if (entry?.seq !== trusted.seq || entry.hash !== trusted.hash) {
    throw auditCorrupt(
      file.name,
      `entry ${trusted.seq} differs from the one the last signed checkpoint signed`,
    );
  }
  return { from: trusted, offset: lineStart + lineEnd + 1, text: text.subarray(lineEnd + 1) };
}

/**
 * Calls `visit` with each line of `file` before byte `end` (where a line ends), last line
 * first, with the byte it starts at, reading a chunk at a time from the end back; `visit`
 * answering false stops the reading.
 */
export async function forEachLineBackward(
  file: LogFile,
  end: number,
  visit: (line: string, start: number) => boolean,
  chunkBytes = CHUNK_BYTES,
): Promise<void> {
  let start = end;
  // The bytes read and not yet given, from `start` on; they end with a line's newline.
  let data: Buffer = Buffer.alloc(0);
  while (start > 0) {
    const from = Math.max(0, start - chunkBytes);
    const chunk = await file.read(from, start - from);
    data = data.length > 0 ? Buffer.concat([chunk, data]) : chunk;
    start = from;
    let lineEnd = data.length - 1;
    for (;;) {
      const before = lineEnd === 0 ? -1 : data.lastIndexOf(0x0a, lineEnd - 1);
      if (before < 0 && start > 0) break;
      const lineStart = before + 1;
      if (!visit(data.toString('utf8', lineStart, lineEnd), start + lineStart)) return;
      if (before < 0) return;
      lineEnd = before;
    }
    data = data.subarray(0, lineEnd + 1);
  }
}
