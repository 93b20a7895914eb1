import type { Clock } from '@clearance/client';
import type { AuditEvent } from '../domain/model.js';
import { webhookFailureEvent, type WebhookFailure } from './webhook-notifier.js';

/** Where failed deliveries go: the audit trail while it is open, the log after. */
export interface WebhookFailureAudit {
  /** Audits a delivery that failed (logs it when that fails or the audit is closed). */
  report(failure: WebhookFailure): void;
  /** Waits for the audit writes under way; failures reported from now on are logged instead. */
  close(): Promise<void>;
}

export interface WebhookFailureAuditDeps {
  write: (events: AuditEvent[]) => Promise<void>;
  clock: Clock;
  log: (line: string) => void;
}

function describeFailure(f: WebhookFailure): string {
  const tries = `${f.attempts} ${f.attempts === 1 ? 'attempt' : 'attempts'}`;
  return `webhook ${f.webhook}, ${f.event} of ${f.requestId}, delivery ${f.deliveryId}, ${tries}: ${f.error}`;
}

/**
 * Audits failed webhook deliveries as `webhook.failed`, keeping track of the writes under way
 * so that shutdown can let them land before the store closes.
 */
export function createWebhookFailureAudit(deps: WebhookFailureAuditDeps): WebhookFailureAudit {
  const writes = new Set<Promise<void>>();
  let closed = false;
  const unaudited = (f: WebhookFailure, why: string) =>
    deps.log(`webhook delivery failed and was not audited (${why}): ${describeFailure(f)}`);
  return {
    report(failure) {
      if (closed) return unaudited(failure, 'the service has stopped');
      const write = Promise.resolve()
        .then(() => deps.write([webhookFailureEvent(failure, deps.clock.now())]))
        .catch((err: unknown) => unaudited(failure, String(err)));
      writes.add(write);
      void write.finally(() => writes.delete(write));
    },
    async close() {
      closed = true;
      while (writes.size > 0) await Promise.all([...writes]);
    },
  };
}
