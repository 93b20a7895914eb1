import type { AuditHead } from '../domain/audit-chain.js';
import type {
  CheckpointBase,
  CheckpointRecords,
  NewCheckpoint,
  StoredCheckpoints,
} from '../domain/checkpoint-records.js';

/**
 * Where the signed checkpoints and their public keys are kept: the data directory's files
 * (`openCheckpointFiles`), or the records of a store that replicas share (`sharedCheckpoints`).
 */
export interface CheckpointStorage {
  /** Names the `n`th checkpoint (from 1) in messages. */
  where(n: number): string;
  /** What a refusal says it left as it was, e.g. "The files were left untouched". */
  readonly untouched: string;
  /** Every checkpoint, oldest first, and the keys that signed them. */
  read(): Promise<StoredCheckpoints>;
  /**
   * Hands `next` the last checkpoint and the trail's head, with no other writer in between,
   * and appends what it returns. The head is the shared store's own, read under its lock;
   * the data directory's files, which one process owns, take `known`.
   */
  append(
    known: AuditHead,
    next: (base: CheckpointBase) => Promise<NewCheckpoint | undefined>,
  ): Promise<void>;
  close(): Promise<void>;
}

/** The checkpoints of a store that replicas share (PostgreSQL): one chain, whichever signs. */
export function sharedCheckpoints(records: CheckpointRecords): CheckpointStorage {
  return {
    where: (n) => `checkpoint ${n} in the database`,
    untouched: 'The database was left untouched',
    read: () => records.read(),
    append: (_known, next) => records.append(next),
    close: async () => {},
  };
}
