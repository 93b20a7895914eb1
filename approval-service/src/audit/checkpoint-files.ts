import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { JSONWebKeySet } from 'jose';
import { ClearanceError } from '@clearance/client';
import { describeFsError, errorCodeOf } from '../files/durable-fs.js';
import { CHECKPOINT_FILE, CHECKPOINT_KEYS_FILE } from './checkpoint.js';

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
