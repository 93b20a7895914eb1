import { describe, expect, it } from 'vitest';
import { ManualClock } from '@clearance/client';
import type { AuditEvent } from '../domain/model.js';
import { createWebhookFailureAudit } from './webhook-failure-audit.js';
import type { WebhookFailure } from './webhook-notifier.js';

const failure: WebhookFailure = {
  webhook: 'chat',
  event: 'request.created',
  requestId: 'req_1',
  deliveryId: 'd-1',
  attempts: 2,
  error: 'HTTP 500',
};

function setup() {
  const written: AuditEvent[][] = [];
  const lines: string[] = [];
  let release: () => void = () => undefined;
  let hold = false;
  const audit = createWebhookFailureAudit({
    clock: new ManualClock('2026-01-05T10:00:00Z'),
    log: (line) => lines.push(line),
    write: async (events) => {
      if (hold) await new Promise<void>((resolve) => (release = resolve));
      written.push(events);
    },
  });
  return { audit, written, lines, holdWrites: () => (hold = true), release: () => release() };
}

describe('createWebhookFailureAudit', () => {
  it('audits a failed delivery as webhook.failed', async () => {
    const { audit, written, lines } = setup();
    audit.report(failure);
    await audit.close();
    expect(written).toEqual([
      [
        {
          time: '2026-01-05T10:00:00.000Z',
          actor: 'system',
          action: 'webhook.failed',
          subject: 'req_1',
          data: {
            webhook: 'chat',
            event: 'request.created',
            delivery: 'd-1',
            attempts: 2,
            error: 'HTTP 500',
          },
        },
      ],
    ]);
    expect(lines).toEqual([]);
  });

  it('closes only once the writes under way have landed', async () => {
    const { audit, written, holdWrites, release } = setup();
    holdWrites();
    audit.report(failure);
    let closed = false;
    const closing = audit.close().then(() => (closed = true));
    await Promise.resolve();
    await Promise.resolve();
    expect(closed).toBe(false);
    release();
    await closing;
    expect(written).toHaveLength(1);
  });

  it('logs, without auditing, a failure reported once closed', async () => {
    const { audit, written, lines } = setup();
    await audit.close();
    audit.report(failure);
    expect(written).toEqual([]);
    expect(lines).toEqual([
      'webhook delivery failed and was not audited (the service has stopped): webhook chat, request.created of req_1, delivery d-1, 2 attempts: HTTP 500',
    ]);
  });

  it('logs a failure whose audit write failed', async () => {
    const lines: string[] = [];
    const audit = createWebhookFailureAudit({
      clock: new ManualClock('2026-01-05T10:00:00Z'),
      log: (line) => lines.push(line),
      write: () => Promise.reject(new Error('The store is closed.')),
    });
    audit.report({ ...failure, attempts: 1 });
    await audit.close();
    expect(lines).toEqual([
      'webhook delivery failed and was not audited (Error: The store is closed.): webhook chat, request.created of req_1, delivery d-1, 1 attempt: HTTP 500',
    ]);
  });
});
