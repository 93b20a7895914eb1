import { ClearanceError } from '@clearance/client';
import { mayReadAudit } from '../domain/audit-readers.js';
import type { Actor, AuditEntry, AuditEvent, AuditFilter } from '../domain/model.js';
import type { ServiceContext } from './service-context.js';

/** The audit trail: who may read it, reading it, and writing events that change no request. */
export class AuditAccess {
  readonly #ctx: ServiceContext;

  constructor(ctx: ServiceContext) {
    this.#ctx = ctx;
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
    await this.#ctx.writes.run(() => this.#ctx.store.appendAudit(events));
  }
}
