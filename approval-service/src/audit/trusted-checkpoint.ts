import { createLocalJWKSet } from 'jose';
import type { AuditHead } from '../domain/audit-chain.js';
import { verifyCheckpoint } from './checkpoint.js';
import { readCheckpointFile, readCheckpointKeys } from './checkpoint-files.js';

/**
 * The entry the last checkpoint of a data directory signed, once its signature verifies with
 * the keys recorded beside it (`audit-keys.json`): where opening the store may begin verifying
 * the trail. Undefined when there is none, or anything about it is off (unreadable, unsigned
 * by a recorded key, malformed): the store then verifies the whole trail, and the checkpointer
 * judges the checkpoints as it opens.
 */
export async function lastSignedCheckpoint(dataDir: string): Promise<AuditHead | undefined> {
  try {
    const [file, keys] = await Promise.all([
      readCheckpointFile(dataDir),
      readCheckpointKeys(dataDir),
    ]);
    const last = file?.lines.at(-1);
    if (last === undefined || keys === undefined) return undefined;
    const checkpoint = await verifyCheckpoint(last, createLocalJWKSet(keys));
    return { seq: checkpoint.seq, hash: checkpoint.hash };
  } catch {
    return undefined;
  }
}
