import type { JSONWebKeySet } from 'jose';
import { ClearanceError, toJsonLines } from '@clearance/client';
import { mayReadAudit } from '../domain/audit-readers.js';
import type { AuditHead } from '../domain/audit-chain.js';
import type { Actor, AuditEntry, AuditEvent, AuditFilter } from '../domain/model.js';
import type { ServiceContext } from './service-context.js';

/** Where the signed checkpoints of the trail come from (the checkpointer, whatever its storage). */
export interface CheckpointSource {
  /**
   * Signs the head if it is not signed yet (`through` at the least); every checkpoint line and
   * the keys that signed them.
   */
  signedNow(through?: AuditHead): Promise<{ lines: string[]; keys: JSONWebKeySet }>;
}

/** The lines of an export besides the entries: see `AuditAccess.exportTrail`. */
export type ExportLine = { checkpoint: { jws: string } } | { checkpointKeys: JSONWebKeySet };

const encoder = new TextEncoder();

/** A byte stream of the chunks of `head`, then `tail`; cancelling it stops the reading. */
function streamOf(head: AsyncIterable<Uint8Array> | Iterable<Uint8Array>, tail: Uint8Array) {
  const chunks = (async function* () {
    yield* head;
    yield tail;
  })();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await chunks.next();
      if (next.done) controller.close();
      else controller.enqueue(next.value);
    },
    async cancel() {
      await chunks.return(undefined);
    },
  });
}

/** The audit trail: who may read it, reading it, and writing events that change no request. */
export class AuditAccess {
  readonly #ctx: ServiceContext;
  readonly #checkpoints: CheckpointSource | undefined;

  constructor(ctx: ServiceContext, checkpoints?: CheckpointSource) {
    this.#ctx = ctx;
    this.#checkpoints = checkpoints;
  }

  /**
   * The whole trail as JSON Lines, verifiable alone (`clearance audit verify --file`): every
   * entry, oldest first, then each signed checkpoint (`{"checkpoint": {"jws": ...}}`, as the
   * anchor webhook sends them) and the public keys that signed them (`{"checkpointKeys": ...}`).
   * Under the write lock, the end of the trail is fixed and its head signed, so every entry
   * exported is covered. Streamed where the store reads its trail a chunk at a time.
   */
  async exportTrail(): Promise<ReadableStream<Uint8Array>> {
    const { entries, extra } = await this.#ctx.writes.run(async (store) => {
      // The trail's text up to the committed head, and that head, taken in the same turn.
      const text = store.auditText?.();
      const head = await this.#ctx.store.auditHead();
      const signed = await this.#checkpoints?.signedNow(head);
      const lines: ExportLine[] = signed
        ? [...signed.lines.map((jws) => ({ checkpoint: { jws } })), { checkpointKeys: signed.keys }]
        : [];
      const all = text ?? [encoder.encode(toJsonLines(await store.readAudit()))];
      return { entries: all, extra: encoder.encode(toJsonLines(lines)) };
    });
    return streamOf(entries, extra);
  }

  /** The whole trail, unchecked: layers that serve a person check `mayReadAudit` first. */
  readAudit(filter?: AuditFilter): Promise<AuditEntry[]> {
    return this.#ctx.store.readAudit(filter);
  }

  /** Whether the actor may read the audit trail: the config's `auditorGroups` and every rule's approvers. */
  mayReadAudit(actor: Actor): boolean {
    return mayReadAudit(actor, this.#ctx.config);
  }

  /** Throws ERR_FORBIDDEN unless the actor may read the audit trail (see mayReadAudit). */
  assertMayReadAudit(actor: Actor): void {
    if (this.mayReadAudit(actor)) return;
    throw new ClearanceError(
      'ERR_FORBIDDEN',
      'only auditors and approvers may read the audit trail (see auditorGroups in the service config)',
    );
  }

  /** Appends events that change no request (webhook failures...), in turn with every other write. */
  async recordEvents(events: AuditEvent[]): Promise<void> {
    await this.#ctx.writes.run((store) => store.appendAudit(events));
  }
}
