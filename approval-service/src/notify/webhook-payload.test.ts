import { describe, expect, it } from 'vitest';
import type { RequestView } from '@clearance/client';
import type { NotificationEvent } from '../service/notifier.js';
import { sampleRequest } from './test-support.case.js';
import { checkpointSlackPayload, jsonPayload, slackPayload } from './webhook-payload.js';

const event = (
  type: NotificationEvent['type'],
  over: Partial<RequestView> = {},
): NotificationEvent => ({
  type,
  request: sampleRequest(over),
  at: '2026-01-05T10:00:00.000Z',
});

describe('jsonPayload', () => {
  it('carries the event and the request, never its token', () => {
    const body = JSON.parse(
      jsonPayload(
        event('request.approved', { status: 'approved', token: 'eyJ.secret.token' }),
        'd1',
      ),
    );
    expect(body).toMatchObject({
      id: 'd1',
      type: 'request.approved',
      at: '2026-01-05T10:00:00.000Z',
      request: { id: 'req_1', status: 'approved' },
    });
    expect(body.request).not.toHaveProperty('token');
  });
});

describe('slackPayload', () => {
  const text = (e: NotificationEvent) => (JSON.parse(slackPayload(e)) as { text: string }).text;

  it('links to the request in the console and escapes what people typed', () => {
    const message = text(event('request.created'));
    expect(message).toContain('<https://clearance.example.com/requests/req_1|Open in Clearance>');
    expect(message).toContain('*SSH open to 0.0.0.0/0 &lt;everyone&gt; &amp; more*');
    expect(message).toContain('Approval requested by carol (0 of 1 platform)');
  });

  it('says who decided and why', () => {
    const reviews = [
      {
        reviewer: 'bob',
        decision: 'deny' as const,
        reason: 'not <now>',
        at: '2026-01-05T10:05:00.000Z',
      },
    ];
    expect(text(event('request.denied', { status: 'denied', reviews }))).toContain(
      'Denied by bob: "not &lt;now&gt;"',
    );
    expect(text(event('request.approved', { status: 'approved' }))).toContain(
      'Approved until 2026-01-05T11:00:00.000Z',
    );
    expect(text(event('request.expired', { status: 'expired' }))).toContain(
      'Expired at 2026-01-05T11:00:00.000Z',
    );
    expect(text(event('request.revoked', { status: 'revoked', revokedBy: 'alice' }))).toContain(
      'Revoked by alice',
    );
  });
});

describe('checkpointSlackPayload', () => {
  it('keeps the seq, head hash, key and the signed checkpoint itself in the message', () => {
    const text = (
      JSON.parse(
        checkpointSlackPayload({
          v: 1,
          seq: 7,
          hash: 'cd'.repeat(32),
          time: '2026-01-05T10:00:00.000Z',
          every: 100,
          prev: '0'.repeat(64),
          kid: 'kid-1',
          jws: 'a.b.c',
        }),
      ) as { text: string }
    ).text;
    expect(text).toBe(
      `:lock: Audit checkpoint: seq 7, head ${'cd'.repeat(32)}\nSigned at 2026-01-05T10:00:00.000Z by key kid-1:\n\`a.b.c\``,
    );
  });
});
