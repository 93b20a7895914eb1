import { open, rename, truncate, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { createLocalJWKSet, type JSONWebKeySet } from 'jose';
import { ClearanceError, isClearanceError, type Clock } from '@clearance/client';
import { describeFsError, nodeStoreFs, syncDirectory } from '../files/durable-fs.js';
import { DEFAULT_CHECKPOINT_EVERY } from '../config/config-schema.js';
import type { JwsSigner } from '../tokens/approval-signer.js';
import type { AuditHead } from '../domain/audit-chain.js';
import {
  CHECKPOINT_FILE,
  CHECKPOINT_KEYS_FILE,
  nextCheckpoint,
  signCheckpoint,
  verifyCheckpoint,
  type SignedCheckpoint,
} from './checkpoint.js';
import { readCheckpointFile, readCheckpointKeys } from './checkpoint-files.js';

export interface CheckpointerOptions {
  dataDir: string;
  /** The service's signing key (the one approval tokens are signed with). */
  signer: JwsSigner;
  clock: Clock;
  /** A checkpoint is signed as soon as this many entries are not covered by one. */
  every?: number;
  /** Told about each checkpoint once it is on disk: the external anchor (webhooks). */
  onCheckpoint?: ((checkpoint: SignedCheckpoint) => void) | undefined;
  log?: (line: string) => void;
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

function refused(why: string): ClearanceError {
  return new ClearanceError(
    'ERR_AUDIT_CHECKPOINT_INVALID',
    `${why}. The files were left untouched; run \`clearance audit verify\` for details.`,
  );
}

/**
 * Signs the head of the audit trail with the service's key into `audit-checkpoints.log` (one
 * compact JWS per line, each chained to the one before): at start when the trail moved since
 * the last checkpoint, whenever `every` entries are unsigned, and at `close`. The public key of
 * every key that signed is kept in `audit-keys.json`. Checkpoints are signed one at a time.
 */
export class AuditCheckpointer {
  readonly every: number;
  readonly #options: CheckpointerOptions;
  readonly #handle: FileHandle;
  readonly #keys: JSONWebKeySet;
  /** Where the next line goes: the file's length as far as whole lines go. */
  #size: number;
  #head: AuditHead;
  #last: SignedCheckpoint | undefined;
  #queue: Promise<unknown> = Promise.resolve();
  #closed = false;

  private constructor(
    options: CheckpointerOptions,
    handle: FileHandle,
    size: number,
    keys: JSONWebKeySet,
    head: AuditHead,
    last: SignedCheckpoint | undefined,
  ) {
    this.#options = options;
    this.every = options.every ?? DEFAULT_CHECKPOINT_EVERY;
    this.#handle = handle;
    this.#size = size;
    this.#keys = keys;
    this.#head = head;
    this.#last = last;
  }

  /**
   * Opens the checkpoints of a data directory whose store committed `head`. Refuses
   * (ERR_AUDIT_CHECKPOINT_INVALID) a last checkpoint that does not verify, or that the trail
   * contradicts (it ends before it, or its entry differs); cuts off a line left unfinished by
   * a crash; then signs the head if the trail moved since.
   */
  static async open(options: CheckpointerOptions, head: AuditHead): Promise<AuditCheckpointer> {
    const { dataDir, signer } = options;
    const keys = (await readCheckpointKeys(dataDir)) ?? { keys: [] };
    const file = await readCheckpointFile(dataDir);
    const path = join(dataDir, CHECKPOINT_FILE);
    if (file && file.leftoverBytes > 0) {
      await truncate(path, file.size);
      options.log?.(`${CHECKPOINT_FILE}: cut an unfinished last line (an interrupted write)`);
    }
    let last: SignedCheckpoint | undefined;
    const lastLine = file?.lines.at(-1);
    if (lastLine !== undefined) {
      const known = keys.keys.some((k) => k.kid === signer.kid);
      const trusted = createLocalJWKSet({
        keys: known ? keys.keys : [...keys.keys, signer.publicJwk],
      });
      const where = `${CHECKPOINT_FILE} line ${file?.lines.length ?? 0}`;
      try {
        last = await verifyCheckpoint(lastLine, trusted);
      } catch (err) {
        throw refused(`${where}: ${isClearanceError(err) ? err.message : String(err)}`);
      }
      if (last.seq > head.seq) {
        throw refused(
          `the audit trail ends at seq ${head.seq}, before its last signed checkpoint (seq ${last.seq}): entries were removed`,
        );
      }
      if (last.seq === head.seq && last.hash !== head.hash) {
        throw refused(
          `the last audit entry (seq ${head.seq}) differs from the one ${where} signed`,
        );
      }
    }
    const handle = await open(path, file ? 'r+' : 'w+', 0o600);
    if (!file) await syncDirectory(nodeStoreFs, dataDir);
    const checkpointer = new AuditCheckpointer(options, handle, file?.size ?? 0, keys, head, last);
    try {
      if (head.seq > (last?.seq ?? 0)) await checkpointer.#serialized(() => checkpointer.#sign());
    } catch (err) {
      await handle.close();
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
    return this.#serialized(async () => {
      if (this.#closed) return;
      if (this.#head.seq - (this.#last?.seq ?? 0) >= this.every) await this.#sign();
    });
  }

  /**
   * Signs the head unless it is signed already, then hands out every checkpoint line and the
   * public keys that signed them: what an export of the trail carries, so that it verifies alone.
   */
  signedNow(): Promise<{ lines: string[]; keys: JSONWebKeySet }> {
    let result: { lines: string[]; keys: JSONWebKeySet } = { lines: [], keys: { keys: [] } };
    return this.#serialized(async () => {
      if (!this.#closed && this.#head.seq > (this.#last?.seq ?? 0)) await this.#sign();
      const file = await readCheckpointFile(this.#options.dataDir);
      result = { lines: file?.lines ?? [], keys: { keys: [...this.#keys.keys] } };
    }).then(() => result);
  }

  /** Signs the head unless it is signed already (shutdown), then closes the file. Idempotent. */
  close(): Promise<void> {
    return this.#serialized(async () => {
      if (this.#closed) return;
      this.#closed = true;
      try {
        if (this.#head.seq > (this.#last?.seq ?? 0)) await this.#sign();
      } finally {
        await this.#handle.close();
      }
    });
  }

  #serialized(task: () => Promise<void>): Promise<void> {
    const run = this.#queue.then(task, task);
    this.#queue = run.catch(() => {});
    return run;
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

  async #sign(): Promise<void> {
    const { signer, clock, dataDir } = this.#options;
    const head = this.#head;
    const payload = nextCheckpoint(head, this.#last?.jws, clock.now(), this.every);
    const signed = await signCheckpoint(payload, signer);
    const line = Buffer.from(`${signed.jws}\n`, 'utf8');
    try {
      if (!this.#keys.keys.some((k) => k.kid === signer.kid)) {
        const keys = [...this.#keys.keys, signer.publicJwk];
        await replaceFile(dataDir, CHECKPOINT_KEYS_FILE, `${JSON.stringify({ keys }, null, 2)}\n`);
        this.#keys.keys = keys;
      }
      await this.#write(line);
    } catch (err) {
      throw new ClearanceError(
        'ERR_STORE',
        `could not write the audit checkpoint of seq ${head.seq} (${describeFsError(err)})`,
      );
    }
    this.#size += line.length;
    this.#last = signed;
    try {
      this.#options.onCheckpoint?.(signed);
    } catch {
      // The anchor never stands in the way of the trail.
    }
  }
}
