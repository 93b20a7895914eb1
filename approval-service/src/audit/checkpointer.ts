import { createLocalJWKSet, type JSONWebKeySet } from 'jose';
import { ClearanceError, isClearanceError, type Clock } from '@clearance/client';
import { describeFsError } from '../files/durable-fs.js';
import { DEFAULT_CHECKPOINT_EVERY } from '../config/config-schema.js';
import type { JwsSigner } from '../tokens/approval-signer.js';
import type { AuditHead } from '../domain/audit-chain.js';
import type { CheckpointBase } from '../domain/checkpoint-records.js';
import {
  nextCheckpoint,
  signCheckpoint,
  verifyCheckpoint,
  type SignedCheckpoint,
} from './checkpoint.js';
import { openCheckpointFiles } from './checkpoint-files.js';
import type { CheckpointStorage } from './checkpoint-storage.js';

export interface CheckpointerOptions {
  dataDir: string;
  /**
   * Where the checkpoints go instead of the data directory's `audit-checkpoints.log` and
   * `audit-keys.json`: the store's, when replicas share it (PostgreSQL).
   */
  storage?: CheckpointStorage | undefined;
  /** The service's signing key (the one approval tokens are signed with). */
  signer: JwsSigner;
  clock: Clock;
  /** A checkpoint is signed as soon as this many entries are not covered by one. */
  every?: number;
  /** Told about each checkpoint once it is stored: the external anchor (webhooks). */
  onCheckpoint?: ((checkpoint: SignedCheckpoint) => void) | undefined;
  log?: (line: string) => void;
}

/** Whether a checkpoint is due for `head` after `last`. */
type Due = (head: AuditHead, last: SignedCheckpoint | undefined) => boolean;

const moved: Due = (head, last) => head.seq > (last?.seq ?? 0);

/**
 * Signs the head of the audit trail with the service's key into the checkpoint storage (the
 * data directory's `audit-checkpoints.log`, one compact JWS per line, or the shared store's),
 * each chained to the one before: at start when the trail moved since the last checkpoint,
 * whenever `every` entries are unsigned, and at `close`. The public key of every key that
 * signed is kept beside them (`audit-keys.json`). Checkpoints are signed one at a time; with a
 * shared store, each is decided on the head and the last checkpoint as the store has them
 * under its lock, so another replica's checkpoints are built on, never forked from.
 */
export class AuditCheckpointer {
  readonly every: number;
  readonly #options: CheckpointerOptions;
  readonly #storage: CheckpointStorage;
  #head: AuditHead;
  #last: SignedCheckpoint | undefined;
  #queue: Promise<unknown> = Promise.resolve();
  #closed = false;

  private constructor(options: CheckpointerOptions, storage: CheckpointStorage, head: AuditHead) {
    this.#options = options;
    this.every = options.every ?? DEFAULT_CHECKPOINT_EVERY;
    this.#storage = storage;
    this.#head = head;
  }

  /**
   * Opens the checkpoints of a store that committed `head`. Refuses
   * (ERR_AUDIT_CHECKPOINT_INVALID) a last checkpoint that does not verify, or that the trail
   * contradicts (it ends before it, or its entry differs); cuts off a line left unfinished by
   * a crash; then signs the head if the trail moved since.
   */
  static async open(options: CheckpointerOptions, head: AuditHead): Promise<AuditCheckpointer> {
    const storage = options.storage ?? (await openCheckpointFiles(options.dataDir, options.log));
    const checkpointer = new AuditCheckpointer(options, storage, head);
    try {
      await checkpointer.#serialized(() => checkpointer.#sign(moved));
    } catch (err) {
      await storage.close();
      throw err;
    }
    return checkpointer;
  }

  /** The last checkpoint written (or found at open). */
  get last(): SignedCheckpoint | undefined {
    return this.#last;
  }

  /** After a durable change that brought the trail to `head`: signs once `every` entries are unsigned. */
  committed(head: AuditHead): Promise<void> {
    if (head.seq > this.#head.seq) this.#head = head;
    const due: Due = (at, last) => at.seq - (last?.seq ?? 0) >= this.every;
    return this.#serialized(async () => {
      if (this.#closed) return;
      if (due(this.#head, this.#last)) await this.#sign(due);
    });
  }

  /**
   * Signs the head unless it is signed already, then hands out every checkpoint line and the
   * public keys that signed them: what an export of the trail carries, so that it verifies alone.
   * `through`, a committed head this process may not have heard of yet, is signed at the least.
   */
  signedNow(through?: AuditHead): Promise<{ lines: string[]; keys: JSONWebKeySet }> {
    if (through && through.seq > this.#head.seq) this.#head = through;
    let result: { lines: string[]; keys: JSONWebKeySet } = { lines: [], keys: { keys: [] } };
    return this.#serialized(async () => {
      // Asked of the storage every time: a shared store's head may be ahead of this process's.
      if (!this.#closed) await this.#sign(moved);
      result = await this.#storage.read();
    }).then(() => result);
  }

  /** Signs the head unless it is signed already (shutdown), then closes the storage. Idempotent. */
  close(): Promise<void> {
    return this.#serialized(async () => {
      if (this.#closed) return;
      this.#closed = true;
      try {
        if (moved(this.#head, this.#last)) await this.#sign(moved);
      } finally {
        await this.#storage.close();
      }
    });
  }

  #serialized(task: () => Promise<void>): Promise<void> {
    const run = this.#queue.then(task, task);
    this.#queue = run.catch(() => {});
    return run;
  }

  #refused(why: string): ClearanceError {
    return new ClearanceError(
      'ERR_AUDIT_CHECKPOINT_INVALID',
      `${why}. ${this.#storage.untouched}; run \`clearance audit verify\` for details.`,
    );
  }

  /**
   * The last checkpoint of the storage, checked unless it is the one this process knows: it
   * must verify, be no further than the trail, sign the entry the trail holds at the head, and
   * not fall behind the one this process signed last (checkpoints removed).
   */
  async #lastOf(base: CheckpointBase): Promise<SignedCheckpoint | undefined> {
    const known = this.#last;
    const { last, head } = base;
    if (known && last === known.jws) return known;
    const where = this.#storage.where(base.count);
    if (last === undefined) {
      if (!known) return undefined;
      throw this.#refused(
        `no checkpoint is stored, but this service signed seq ${known.seq}: checkpoints were removed`,
      );
    }
    const { signer } = this.#options;
    const ownKnown = base.keys.keys.some((k) => k.kid === signer.kid);
    const trusted = createLocalJWKSet({
      keys: ownKnown ? base.keys.keys : [...base.keys.keys, signer.publicJwk],
    });
    let checkpoint: SignedCheckpoint;
    try {
      checkpoint = await verifyCheckpoint(last, trusted);
    } catch (err) {
      throw this.#refused(`${where}: ${isClearanceError(err) ? err.message : String(err)}`);
    }
    if (checkpoint.seq > head.seq) {
      throw this.#refused(
        `the audit trail ends at seq ${head.seq}, before its last signed checkpoint (seq ${checkpoint.seq}): entries were removed`,
      );
    }
    if (checkpoint.seq === head.seq && checkpoint.hash !== head.hash) {
      throw this.#refused(
        `the last audit entry (seq ${head.seq}) differs from the one ${where} signed`,
      );
    }
    if (known && checkpoint.seq < known.seq) {
      throw this.#refused(
        `${where} signs seq ${checkpoint.seq}, behind the checkpoint of seq ${known.seq} this service signed: checkpoints were removed`,
      );
    }
    return checkpoint;
  }

  /** Signs the head after the storage's last checkpoint, if `due` still holds for them. */
  async #sign(due: Due): Promise<void> {
    const { signer, clock } = this.#options;
    let signed: SignedCheckpoint | undefined;
    try {
      await this.#storage.append(this.#head, async (base) => {
        const last = await this.#lastOf(base);
        this.#last = last;
        if (base.head.seq > this.#head.seq) this.#head = base.head;
        if (!due(base.head, last)) return undefined;
        const payload = nextCheckpoint(base.head, last?.jws, clock.now(), this.every);
        signed = await signCheckpoint(payload, signer);
        return { jws: signed.jws, kid: signer.kid, key: signer.publicJwk };
      });
    } catch (err) {
      if (isClearanceError(err)) throw err;
      throw new ClearanceError(
        'ERR_STORE',
        `could not write the audit checkpoint of seq ${this.#head.seq} (${describeFsError(err)})`,
      );
    }
    if (!signed) return;
    this.#last = signed;
    try {
      this.#options.onCheckpoint?.(signed);
    } catch {
      // The anchor never stands in the way of the trail.
    }
  }
}
