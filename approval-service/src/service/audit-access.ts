import type { JSONWebKeySet } from 'jose';
import { ClearanceError, toJsonLines } from '@clearance/client';
import { mayReadAudit } from '../domain/audit-readers.js';
import type { Actor, AuditEntry, AuditEvent, AuditFilter } from '../domain/model.js';
import type { ServiceContext } from './service-context.js';

/** Where the signed checkpoints of the trail come from (the checkpointer, whatever its storage). */
export interface CheckpointSource {
  /** Signs the head if it is not signed yet; every checkpoint line and the keys that signed them. */
  signedNow(): Promise<{ lines: string[]; keys: JSONWebKeySet }>;
}

/** The lines of an export besides the entries: see `AuditAccess.exportTrail`. */
export type ExportLine = { checkpoint: { jws: string } } | { checkpointKeys: JSONWebKeySet };

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
   * The head is signed first, under the write lock, so every entry exported is covered.
   */
  exportTrail(): Promise<string> {
    return this.#ctx.writes.run(async (store) => {
      const signed = await this.#checkpoints?.signedNow();
      const entries = await store.readAudit();
      const extra: ExportLine[] = signed
        ? [...signed.lines.map((jws) => ({ checkpoint: { jws } })), { checkpointKeys: signed.keys }]
        : [];
      return toJsonLines([...entries, ...extra]);
    });
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
