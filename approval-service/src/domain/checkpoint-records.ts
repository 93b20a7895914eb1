import type { JSONWebKeySet, JWK } from 'jose';
import type { AuditHead } from './audit-chain.js';

/** The signed checkpoints a store keeps, with the public keys that signed them. */
export interface StoredCheckpoints {
  /** Each checkpoint's compact JWS, oldest first. */
  lines: string[];
  /** The public keys that signed them, each once, in the order they came. */
  keys: JSONWebKeySet;
}

/** What a checkpoint is appended after: the trail's head and the last checkpoint, both read under the lock. */
export interface CheckpointBase {
  head: AuditHead;
  /** The last checkpoint's compact JWS; undefined when there is none yet. */
  last: string | undefined;
  /** How many checkpoints there are (the last one's position, from 1). */
  count: number;
  keys: JSONWebKeySet;
}

/** A checkpoint to append, with the public key that signed it (added to the keys unless held). */
export interface NewCheckpoint {
  jws: string;
  /** The key id its header names. */
  kid: string;
  key: JWK;
}

/**
 * The signed checkpoints of the audit trail kept in a store that replicas share (PostgreSQL),
 * so that they form one chain whichever replica signs. `append` hands `next` the trail's head
 * and the last checkpoint while no other replica can change either, and appends what it
 * returns (nothing when undefined): a replica thus never signs a head older than the last
 * checkpoint, nor chains after one that is no longer the last.
 */
export interface CheckpointRecords {
  read(): Promise<StoredCheckpoints>;
  append(next: (base: CheckpointBase) => Promise<NewCheckpoint | undefined>): Promise<void>;
  /** Copies checkpoints and keys as they are into a store that holds none (ERR_CONFLICT otherwise). */
  restore(checkpoints: StoredCheckpoints): Promise<void>;
}
