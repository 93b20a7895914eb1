import { constants } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { type StoreFs, storeFileName } from '../files/durable-fs.js';
import { type PositionalReader, readerOf } from '../files/read-lines.js';

/**
 * An append-only file of lines, held open (`audit.jsonl`, `journal.jsonl`): appends are written
 * at a known offset (and fsynced, unless told not to); a failed append is undone by cutting the
 * file back.
 */
export class LogFile {
  private readonly reader: PositionalReader;

  private constructor(
    private readonly handle: FileHandle,
    readonly path: string,
  ) {
    this.reader = readerOf(handle);
  }

  /** The file's name inside the data directory, for messages. */
  get name(): string {
    return storeFileName(this.path);
  }

  /** Opens the file for reading and writing; `create` makes it when missing (mode 0600). */
  static async open(fs: StoreFs, path: string, create: boolean): Promise<LogFile> {
    const flags = constants.O_RDWR | (create ? constants.O_CREAT : 0);
    return new LogFile(await fs.open(path, flags, 0o600), path);
  }

  async readAll(): Promise<Buffer> {
    return this.handle.readFile();
  }

  async size(): Promise<number> {
    return (await this.handle.stat()).size;
  }

  /** Up to `length` bytes from `position` (fewer where the file ends). */
  read(position: number, length: number): Promise<Buffer> {
    return this.reader.read(position, length);
  }

  /** Writes `text` at `offset` and, unless `durable` is false, fsyncs; resolves with the new end. */
  async writeAt(offset: number, text: string, durable = true): Promise<number> {
    const data = Buffer.from(text, 'utf8');
    let written = 0;
    while (written < data.length) {
      const { bytesWritten } = await this.handle.write(
        data,
        written,
        data.length - written,
        offset + written,
      );
      written += bytesWritten;
    }
    if (durable) await this.handle.sync();
    return offset + written;
  }

  /** Cuts the file back to `size` bytes; `durable` also fsyncs. */
  async truncate(size: number, durable: boolean): Promise<void> {
    await this.handle.truncate(size);
    if (durable) await this.handle.sync();
  }

  async sync(): Promise<void> {
    await this.handle.sync();
  }

  async close(): Promise<void> {
    await this.handle.close();
  }
}
