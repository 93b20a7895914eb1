import type { FileHandle } from 'node:fs/promises';

/** How much of a file one read takes (tests pass less). */
export const CHUNK_BYTES = 1024 * 1024;

/** A file read at positions: a `LogFile`, or a handle through `readerOf`. */
export interface PositionalReader {
  /** Up to `length` bytes from `position` (fewer where the file ends). */
  read(position: number, length: number): Promise<Buffer>;
}

/** Reads `handle` at positions, each read filled unless the file ends first. */
export function readerOf(handle: FileHandle): PositionalReader {
  return {
    async read(position, length) {
      const buffer = Buffer.alloc(length);
      let filled = 0;
      while (filled < length) {
        const { bytesRead } = await handle.read(buffer, filled, length - filled, position + filled);
        if (bytesRead === 0) break;
        filled += bytesRead;
      }
      return buffer.subarray(0, filled);
    },
  };
}

/**
 * Calls `visit` with each line of `file` before byte `end`, in order, with its 1-based number
 * and the byte it starts at, reading a chunk at a time, so that no file is held whole; `visit` answering false stops the
 * reading. Resolves with what follows the last newline (a line not finished), '' when none
 * or when stopped.
 */
export async function forEachLine(
  file: PositionalReader,
  end: number,
  visit: (line: string, number: number, at: number) => boolean,
  chunkBytes = CHUNK_BYTES,
): Promise<string> {
  let carry: Buffer = Buffer.alloc(0);
  let number = 0;
  /** The byte where `carry` begins. */
  let carryAt = 0;
  for (let offset = 0; offset < end;) {
    const read = await file.read(offset, Math.min(chunkBytes, end - offset));
    if (read.length === 0) break;
    offset += read.length;
    const data = carry.length > 0 ? Buffer.concat([carry, read]) : read;
    let start = 0;
    for (let nl = data.indexOf(0x0a); nl >= 0; nl = data.indexOf(0x0a, start)) {
      number += 1;
      if (!visit(data.toString('utf8', start, nl), number, carryAt + start)) return '';
      start = nl + 1;
    }
    carryAt += start;
    carry = data.subarray(start);
  }
  return carry.toString('utf8');
}
