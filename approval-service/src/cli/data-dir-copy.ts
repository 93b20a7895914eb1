import { cp } from 'node:fs/promises';
import { join } from 'node:path';
import { CHECKPOINT_FILE, CHECKPOINT_KEYS_FILE } from '../audit/checkpoint.js';
import {
  readCheckpointFile,
  readCheckpointKeys,
  writeCheckpointFiles,
} from '../audit/checkpoint-files.js';
import type { StoredCheckpoints } from '../domain/checkpoint-records.js';
import { errorCodeOf } from '../files/durable-fs.js';
import type { Store } from '../store/store.js';

/** One side of a copy: a store, and the data directory that holds its signing keys. */
export interface CopySide {
  dir: string;
  store: Pick<Store, 'checkpoints'>;
}

async function copyIfThere(fromDir: string, toDir: string, name: string): Promise<void> {
  try {
    await cp(join(fromDir, name), join(toDir, name), {
      recursive: true,
      errorOnExist: true,
      force: false,
      preserveTimestamps: true,
    });
  } catch (err) {
    if (errorCodeOf(err) !== 'ENOENT') throw err;
  }
}

/** The checkpoints of a side: its store's when it keeps them (PostgreSQL), else its files. */
async function readSide(side: CopySide): Promise<StoredCheckpoints> {
  if (side.store.checkpoints) return side.store.checkpoints.read();
  const file = await readCheckpointFile(side.dir);
  return { lines: file?.lines ?? [], keys: (await readCheckpointKeys(side.dir)) ?? { keys: [] } };
}

/**
 * Copies what a store needs besides its requests and trail: the signing keys (`keys/` of the
 * data directory), and the signed checkpoints with their public keys, which a store that
 * replicas share keeps itself and an embedded one as files of its data directory. So tokens
 * and checkpoints keep verifying. The target must hold no checkpoints.
 */
export async function copyKeysAndCheckpoints(from: CopySide, to: CopySide): Promise<void> {
  await copyIfThere(from.dir, to.dir, 'keys');
  if (!from.store.checkpoints && !to.store.checkpoints) {
    for (const name of [CHECKPOINT_FILE, CHECKPOINT_KEYS_FILE]) {
      await copyIfThere(from.dir, to.dir, name);
    }
    return;
  }
  const checkpoints = await readSide(from);
  if (to.store.checkpoints) await to.store.checkpoints.restore(checkpoints);
  else await writeCheckpointFiles(to.dir, checkpoints);
}
