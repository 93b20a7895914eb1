import { open, readFile, rename, truncate, writeFile, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { JSONWebKeySet } from 'jose';
import { ClearanceError } from '@clearance/client';
import { describeFsError, errorCodeOf, nodeStoreFs, syncDirectory } from '../files/durable-fs.js';
import type { AuditHead } from '../domain/audit-chain.js';
import type {
  CheckpointBase,
  NewCheckpoint,
  StoredCheckpoints,
} from '../domain/checkpoint-records.js';
import { CHECKPOINT_FILE, CHECKPOINT_KEYS_FILE } from './checkpoint.js';
import type { CheckpointStorage } from './checkpoint-storage.js';

/** The checkpoint file as read: its whole lines, and the bytes they take. */
export interface CheckpointLines {
  lines: string[];
  /** Byte length of the whole lines; anything after is a line an interrupted write left. */
  size: number;
  leftoverBytes: number;
}

/** Splits the checkpoint file into whole lines; a last line without its newline is left over. */
export function splitCheckpointLines(content: Buffer): CheckpointLines {
  const size = content.lastIndexOf(0x0a) + 1;
  const lines = size === 0 ? [] : content.toString('utf8', 0, size - 1).split('\n');
  return { lines, size, leftoverBytes: content.length - size };
}

async function readOptional(path: string): Promise<Buffer | undefined> {
  try {
    return await readFile(path);
  } catch (err) {
    if (errorCodeOf(err) === 'ENOENT') return undefined;
    throw err;
  }
}

/** The checkpoint file of a data directory; undefined when there is none. */
export async function readCheckpointFile(dataDir: string): Promise<CheckpointLines | undefined> {
  const content = await readOptional(join(dataDir, CHECKPOINT_FILE));
  return content && splitCheckpointLines(content);
}

/**
 * The public keys that signed the checkpoints of a data directory (`audit-keys.json`), kept
 * even after their key is retired; undefined when there is none.
 */
export async function readCheckpointKeys(dataDir: string): Promise<JSONWebKeySet | undefined> {
  let content: Buffer | undefined;
  try {
    content = await readOptional(join(dataDir, CHECKPOINT_KEYS_FILE));
  } catch (err) {
    throw new ClearanceError(
      'ERR_AUDIT_CHECKPOINT_INVALID',
      `${CHECKPOINT_KEYS_FILE} could not be read (${describeFsError(err)})`,
    );
  }
  if (content === undefined) return undefined;
  try {
    const value = JSON.parse(content.toString('utf8')) as { keys?: unknown };
    if (!Array.isArray(value.keys)) throw new TypeError('no keys');
    return value as JSONWebKeySet;
  } catch {
    throw new ClearanceError(
      'ERR_AUDIT_CHECKPOINT_INVALID',
      `${CHECKPOINT_KEYS_FILE} is not a JSON Web Key Set`,
    );
  }
}

/** The text of `audit-keys.json`. */
function keysText(keys: JSONWebKeySet): string {
  return `${JSON.stringify({ keys: keys.keys }, null, 2)}\n`;
}

/** Writes a small file atomically and durably: temp file (0600), fsync, rename, directory fsync. */
async function replaceFile(dir: string, name: string, text: string): Promise<void> {
  const path = join(dir, name);
  const handle = await open(`${path}.tmp`, 'w', 0o600);
  try {
    await handle.writeFile(text, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(`${path}.tmp`, path);
  await syncDirectory(nodeStoreFs, dir);
}

/**
 * Writes checkpoints and their keys into a data directory that holds none (a copy of another
 * store's): the same two files the service writes. Refuses (EEXIST) to replace either.
 */
export async function writeCheckpointFiles(
  dataDir: string,
  checkpoints: StoredCheckpoints,
): Promise<void> {
  const { lines, keys } = checkpoints;
  if (lines.length === 0 && keys.keys.length === 0) return;
  const write = (name: string, text: string) =>
    writeFile(join(dataDir, name), text, { flag: 'wx', mode: 0o600 });
  await write(CHECKPOINT_KEYS_FILE, keysText(keys));
  await write(CHECKPOINT_FILE, lines.map((line) => `${line}\n`).join(''));
}

/** `audit-checkpoints.log` and `audit-keys.json` of a data directory, which one process owns. */
class CheckpointFiles implements CheckpointStorage {
  readonly untouched = 'The files were left untouched';
  readonly #dataDir: string;
  readonly #handle: FileHandle;
  readonly #keys: JSONWebKeySet;
  /** Where the next line goes: the file's length as far as whole lines go. */
  #size: number;
  #last: string | undefined;
  #count: number;

  constructor(
    dataDir: string,
    handle: FileHandle,
    keys: JSONWebKeySet,
    file: CheckpointLines | undefined,
  ) {
    this.#dataDir = dataDir;
    this.#handle = handle;
    this.#keys = keys;
    this.#size = file?.size ?? 0;
    this.#last = file?.lines.at(-1);
    this.#count = file?.lines.length ?? 0;
  }

  where(n: number): string {
    return `${CHECKPOINT_FILE} line ${n}`;
  }

  async read(): Promise<StoredCheckpoints> {
    const file = await readCheckpointFile(this.#dataDir);
    return { lines: file?.lines ?? [], keys: { keys: [...this.#keys.keys] } };
  }

  async append(
    known: AuditHead,
    next: (base: CheckpointBase) => Promise<NewCheckpoint | undefined>,
  ): Promise<void> {
    const keys = { keys: [...this.#keys.keys] };
    const checkpoint = await next({ head: known, last: this.#last, count: this.#count, keys });
    if (!checkpoint) return;
    const line = Buffer.from(`${checkpoint.jws}\n`, 'utf8');
    if (!this.#keys.keys.some((k) => k.kid === checkpoint.kid)) {
      const keys = [...this.#keys.keys, checkpoint.key];
      await replaceFile(this.#dataDir, CHECKPOINT_KEYS_FILE, keysText({ keys }));
      this.#keys.keys = keys;
    }
    await this.#write(line);
    this.#size += line.length;
    this.#last = checkpoint.jws;
    this.#count += 1;
  }

  close(): Promise<void> {
    return this.#handle.close();
  }

  /** Writes a line at the end and fsyncs; a failed write is cut off again, as far as it can be. */
  async #write(line: Buffer): Promise<void> {
    try {
      let written = 0;
      while (written < line.length) {
        const { bytesWritten } = await this.#handle.write(
          line,
          written,
          line.length - written,
          this.#size + written,
        );
        written += bytesWritten;
      }
      await this.#handle.sync();
    } catch (err) {
      await this.#handle.truncate(this.#size).catch(() => {});
      throw err;
    }
  }
}

/**
 * Opens the checkpoint files of a data directory: reads the keys and the checkpoints, cuts off
 * a line left unfinished by a crash (and logs it), and creates the file when there is none.
 */
export async function openCheckpointFiles(
  dataDir: string,
  log?: (line: string) => void,
): Promise<CheckpointStorage> {
  const keys = (await readCheckpointKeys(dataDir)) ?? { keys: [] };
  const file = await readCheckpointFile(dataDir);
  const path = join(dataDir, CHECKPOINT_FILE);
  if (file && file.leftoverBytes > 0) {
    await truncate(path, file.size);
    log?.(`${CHECKPOINT_FILE}: cut an unfinished last line (an interrupted write)`);
  }
  const handle = await open(path, file ? 'r+' : 'w+', 0o600);
  try {
    if (!file) await syncDirectory(nodeStoreFs, dataDir);
  } catch (err) {
    await handle.close();
    throw err;
  }
  return new CheckpointFiles(dataDir, handle, keys, file);
}
