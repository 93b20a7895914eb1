import { cp } from 'node:fs/promises';
import { join } from 'node:path';
import { CHECKPOINT_FILE, CHECKPOINT_KEYS_FILE } from '../audit/checkpoint.js';
import { errorCodeOf } from '../files/durable-fs.js';

/**
 * Copies what a data directory holds besides the store: the signing keys (`keys/`) and the
 * signed checkpoints with their public keys, so that tokens and checkpoints keep verifying.
 */
export async function copyKeysAndCheckpoints(fromDir: string, toDir: string): Promise<void> {
  for (const name of ['keys', CHECKPOINT_FILE, CHECKPOINT_KEYS_FILE]) {
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
}
