import type { Adapter } from 'lowdb';
import { ClearanceError } from '@clearance/client';
import {
  type StoreFs,
  describeFsError,
  errorCodeOf,
  replaceFileDurably,
  storeFileName,
} from '../files/durable-fs.js';

/**
 * A lowdb adapter for one JSON file that is fsynced before a write resolves. Reading a file
 * that does not parse throws ERR_STORE_CORRUPT and leaves it untouched. `parse` gets the
 * file's name (for messages), not its path.
 */
export class FsyncJsonFile<T> implements Adapter<T> {
  /** Bytes of the file as last read or written (0 before). */
  size = 0;

  constructor(
    private readonly fs: StoreFs,
    readonly path: string,
    private readonly parse: (value: unknown, path: string) => T,
  ) {}

  async read(): Promise<T | null> {
    const name = storeFileName(this.path);
    let text: string;
    try {
      text = await this.fs.readFile(this.path, 'utf8');
    } catch (err) {
      if (errorCodeOf(err) === 'ENOENT') return null;
      throw new ClearanceError('ERR_STORE', `Could not read ${name}: ${describeFsError(err)}`);
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      throw new ClearanceError(
        'ERR_STORE_CORRUPT',
        `${name} is not valid JSON (${describeFsError(err)}). It was left untouched; restore it from a backup.`,
        { file: name },
      );
    }
    const data = this.parse(value, name);
    this.size = Buffer.byteLength(text, 'utf8');
    return data;
  }

  async write(data: T): Promise<void> {
    const text = `${JSON.stringify(data)}\n`;
    await replaceFileDurably(this.fs, this.path, text);
    this.size = Buffer.byteLength(text, 'utf8');
  }
}
