import { afterEach, describe, expect, it, vi } from 'vitest';
import { hashApiToken } from '../auth/secrets.js';
import { ClearanceClient, ManualClock } from '@clearance/client';
import { withFingerprint } from '../http/app-harness.case.js';
import type { NotificationEvent } from '../service/notifier.js';
import { appFetch, testApp } from '../testing/test-app.js';
import type { SignedCheckpoint } from '../audit/checkpoint.js';
import { ABANDONED } from './deliver.js';
import { sampleRequest, startReceiver } from './test-support.case.js';
import { createNotifier, webhookFailureEvent, type WebhookFailure } from './webhook-notifier.js';
import { verifyWebhook } from './webhook-signature.js';

const secret = 'webhook-secret-of-at-least-32-characters';
const start = new Date('2026-01-05T10:00:00Z');
const receivers: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((r) => r.close()));
});

async function receiver(...answers: Parameters<typeof startReceiver>[0] & object) {
  const r = await startReceiver(answers.length > 0 ? answers : undefined);
  receivers.push(r);
  return r;
}

function notifierFor(
  url: string,
  options: { format?: 'slack' | 'json'; attempts?: number; events?: string[] } = {},
) {
  const sleeps: number[] = [];
  const failures: WebhookFailure[] = [];
  const clock = new ManualClock(start);
  const notifier = createNotifier(
    {
      webhooks: [
        {
          name: 'ci',
          format: options.format ?? 'json',
          urlEnv: 'HOOK_URL',
          ...(options.format === 'slack' ? {} : { secretEnv: 'HOOK_SECRET' }),
          ...(options.events ? { events: options.events } : {}),
        },
      ],
      retry: { attempts: options.attempts ?? 3, initialDelayMs: 1000, maxDelayMs: 30_000 },
    },
    {
      env: { HOOK_URL: url, HOOK_SECRET: secret },
      clock,
      sleep: async (ms) => {
        sleeps.push(ms);
        clock.advance(ms);
      },
      onFailure: (f) => failures.push(f),
    },
  );
  return { notifier, sleeps, failures, clock };
}

const approved: NotificationEvent = {
  type: 'request.approved',
  request: sampleRequest({ status: 'approved', token: 'eyJhbGciOi.secret.token' }),
  at: start.toISOString(),
};

describe('json webhooks', () => {
  it('delivers a body the receiver can verify with the shared secret, without the token', async () => {
    const r = await receiver();
    const { notifier, failures } = notifierFor(r.url);
    notifier.notify(approved);
    await notifier.idle();
    expect(r.received).toHaveLength(1);
    const [got] = r.received;
    expect(got?.headers['x-clearance-event']).toBe('request.approved');
    expect(got?.headers['x-clearance-timestamp']).toBe(String(start.getTime() / 1000));
    const verdict = verifyWebhook({
      secret,
      body: got?.body ?? '',
      timestamp: got?.headers['x-clearance-timestamp'] as string,
      signature: got?.headers['x-clearance-signature'] as string,
      now: new Date(start.getTime() + 2000),
    });
    expect(verdict).toEqual({ ok: true });
    expect(JSON.parse(got?.body ?? '')).toMatchObject({
      type: 'request.approved',
      request: { id: 'req_1' },
    });
    expect(got?.body).not.toContain('secret.token');
    expect(failures).toEqual([]);
  });

  it('makes a captured delivery useless once the replay window has passed', async () => {
    const r = await receiver();
    const { notifier } = notifierFor(r.url);
    notifier.notify(approved);
    await notifier.idle();
    const [got] = r.received;
    const replay = (seconds: number) =>
      verifyWebhook({
        secret,
        body: got?.body ?? '',
        timestamp: got?.headers['x-clearance-timestamp'] as string,
        signature: got?.headers['x-clearance-signature'] as string,
        now: new Date(start.getTime() + seconds * 1000),
      });
    expect(replay(299)).toEqual({ ok: true });
    expect(replay(600)).toEqual({ ok: false, reason: 'stale' });
  });

  it('retries with backoff, signing each attempt anew under one delivery id', async () => {
    const r = await receiver({ status: 500 }, { status: 503 }, { status: 204 });
    const { notifier, sleeps, failures } = notifierFor(r.url);
    notifier.notify(approved);
    await notifier.idle();
    expect(r.received).toHaveLength(3);
    expect(sleeps).toEqual([1000, 2000]);
    expect(failures).toEqual([]);
    const stamps = r.received.map((x) => x.headers['x-clearance-timestamp']);
    expect(new Set(stamps).size).toBe(3);
    expect(new Set(r.received.map((x) => x.headers['x-clearance-delivery'])).size).toBe(1);
    const last = r.received[2];
    const check = verifyWebhook({
      secret,
      body: last?.body ?? '',
      timestamp: last?.headers['x-clearance-timestamp'] as string,
      signature: last?.headers['x-clearance-signature'] as string,
      now: new Date(start.getTime() + 3000),
    });
    expect(check).toEqual({ ok: true });
  });

  it('waits as long as the receiver asks with Retry-After, within the cap', async () => {
    const r = await receiver({ status: 429, headers: { 'retry-after': '7' } }, { status: 200 });
    const { notifier, sleeps } = notifierFor(r.url);
    notifier.notify(approved);
    await notifier.idle();
    expect(sleeps).toEqual([7000]);
  });

  it('reports a delivery that failed every attempt, with no URL or secret in the report', async () => {
    const r = await receiver({ status: 500 });
    const { notifier, sleeps, failures } = notifierFor(r.url);
    notifier.notify(approved);
    await notifier.idle();
    expect(r.received).toHaveLength(3);
    expect(sleeps).toEqual([1000, 2000]);
    expect(failures).toEqual([
      {
        webhook: 'ci',
        event: 'request.approved',
        requestId: 'req_1',
        deliveryId: expect.any(String),
        attempts: 3,
        error: 'HTTP 500',
      },
    ]);
    expect(JSON.stringify(failures)).not.toContain('127.0.0.1');
    expect(webhookFailureEvent(failures[0] as WebhookFailure, start)).toEqual({
      time: '2026-01-05T10:00:00.000Z',
      actor: 'system',
      action: 'webhook.failed',
      subject: 'req_1',
      data: {
        webhook: 'ci',
        event: 'request.approved',
        delivery: failures[0]?.deliveryId,
        attempts: 3,
        error: 'HTTP 500',
      },
    });
  });

  it('does not retry an answer that says the request itself is wrong', async () => {
    const r = await receiver({ status: 400 });
    const { notifier, failures } = notifierFor(r.url);
    notifier.notify(approved);
    await notifier.idle();
    expect(r.received).toHaveLength(1);
    expect(failures[0]).toMatchObject({ attempts: 1, error: 'HTTP 400' });
  });

  it('retries a receiver that is down, then reports it', async () => {
    const r = await receiver();
    await r.close();
    const { notifier, failures } = notifierFor(r.url, { attempts: 2 });
    notifier.notify(approved);
    await notifier.idle();
    expect(failures[0]).toMatchObject({ attempts: 2, error: 'could not connect (ECONNREFUSED)' });
  });

  it('sends only the events a webhook asks for', async () => {
    const r = await receiver();
    const { notifier } = notifierFor(r.url, { events: ['request.expired'] });
    notifier.notify(approved);
    notifier.notify({ ...approved, type: 'request.expired' });
    await notifier.idle();
    expect(r.received.map((x) => x.headers['x-clearance-event'])).toEqual(['request.expired']);
  });
});

describe('the anchor of signed audit checkpoints', () => {
  const checkpoint: SignedCheckpoint = {
    v: 1,
    seq: 42,
    hash: 'ab'.repeat(32),
    time: start.toISOString(),
    every: 100,
    prev: '0'.repeat(64),
    kid: 'kid-1',
    jws: 'eyJhbGciOiJFZERTQSJ9.eyJ2IjoxfQ.c2ln',
  };

  it('posts each checkpoint, signed, to the webhooks that list audit.checkpoint only', async () => {
    const anchor = await receiver();
    const chat = await receiver();
    const clock = new ManualClock(start);
    const notifier = createNotifier(
      {
        webhooks: [
          {
            name: 'anchor',
            format: 'json',
            url: anchor.url,
            secretEnv: 'S',
            events: ['audit.checkpoint'],
          },
          { name: 'chat', format: 'json', url: chat.url, secretEnv: 'S' },
        ],
      },
      { env: { S: secret }, clock },
    );
    notifier.anchor(checkpoint);
    notifier.notify(approved);
    await notifier.idle();
    expect(chat.received.map((x) => x.headers['x-clearance-event'])).toEqual(['request.approved']);
    expect(anchor.received).toHaveLength(1);
    const [got] = anchor.received;
    expect(got?.headers['x-clearance-event']).toBe('audit.checkpoint');
    const verdict = verifyWebhook({
      secret,
      body: got?.body ?? '',
      timestamp: got?.headers['x-clearance-timestamp'] as string,
      signature: got?.headers['x-clearance-signature'] as string,
      now: start,
    });
    expect(verdict).toEqual({ ok: true });
    const { v: _v, ...fields } = checkpoint;
    expect(JSON.parse(got?.body ?? '')).toEqual({
      id: got?.headers['x-clearance-delivery'],
      type: 'audit.checkpoint',
      at: start.toISOString(),
      checkpoint: fields,
    });
  });

  it('names the checkpoint when its delivery fails', async () => {
    const failures: WebhookFailure[] = [];
    const notifier = createNotifier(
      {
        webhooks: [
          {
            name: 'anchor',
            format: 'slack',
            url: 'http://127.0.0.1:1/x',
            events: ['audit.checkpoint'],
          },
        ],
        retry: { attempts: 1 },
      },
      { onFailure: (f) => failures.push(f) },
    );
    notifier.anchor(checkpoint);
    await notifier.idle();
    expect(failures).toMatchObject([
      { webhook: 'anchor', event: 'audit.checkpoint', requestId: 'checkpoint 42', attempts: 1 },
    ]);
  });
});

describe('stopping the notifier', () => {
  function stoppable(
    fetch: typeof globalThis.fetch,
    sleep?: (ms: number, s?: AbortSignal) => Promise<void>,
  ) {
    const failures: WebhookFailure[] = [];
    const notifier = createNotifier(
      {
        webhooks: [{ name: 'ci', format: 'json', url: 'https://ci.example/hook', secretEnv: 'S' }],
        retry: { attempts: 3, initialDelayMs: 1000, maxDelayMs: 30_000 },
      },
      {
        env: { S: secret },
        clock: new ManualClock(start),
        fetch,
        sleep,
        onFailure: (f) => failures.push(f),
      },
    );
    return { notifier, failures };
  }

  /** A receiver that never answers: the request ends only when its signal aborts. */
  const hanging = (async (_url: string, init?: RequestInit) =>
    new Promise<Response>((_resolve, reject) => {
      init?.signal?.addEventListener('abort', () => reject(init.signal?.reason as Error));
    })) as typeof globalThis.fetch;

  it('cuts short the deliveries under way, names them and reports them as abandoned', async () => {
    const { notifier, failures } = stoppable(hanging);
    notifier.notify(approved);
    notifier.notify({ ...approved, type: 'request.revoked' });
    const cut = notifier.stop();
    expect(cut).toEqual([
      {
        webhook: 'ci',
        event: 'request.approved',
        requestId: 'req_1',
        deliveryId: expect.any(String),
      },
      {
        webhook: 'ci',
        event: 'request.revoked',
        requestId: 'req_1',
        deliveryId: expect.any(String),
      },
    ]);
    await notifier.idle();
    expect(failures).toEqual(cut.map((d) => ({ ...d, attempts: 1, error: ABANDONED })));
  });

  it('ends a delivery waiting to retry', async () => {
    const sleeps: number[] = [];
    const untilAborted = (ms: number, signal?: AbortSignal) => {
      sleeps.push(ms);
      return new Promise<void>((resolve) => signal?.addEventListener('abort', () => resolve()));
    };
    const failing = (async () => new Response(null, { status: 503 })) as typeof globalThis.fetch;
    const { notifier, failures } = stoppable(failing, untilAborted);
    notifier.notify(approved);
    await vi.waitFor(() => expect(sleeps).toEqual([1000]));
    notifier.stop();
    await notifier.idle();
    expect(failures).toMatchObject([{ attempts: 1, error: ABANDONED }]);
  });

  it('sends nothing once stopped', async () => {
    const calls: string[] = [];
    const recording = (async (url: string) => {
      calls.push(url);
      return new Response(null, { status: 204 });
    }) as typeof globalThis.fetch;
    const { notifier, failures } = stoppable(recording);
    expect(notifier.stop()).toEqual([]);
    notifier.notify(approved);
    await notifier.idle();
    expect(calls).toEqual([]);
    expect(failures).toMatchObject([{ event: 'request.approved', attempts: 0, error: ABANDONED }]);
  });
});

describe('slack webhooks', () => {
  it('posts an incoming-webhook message that links to the console', async () => {
    const r = await receiver({ status: 200 });
    const { notifier } = notifierFor(r.url, { format: 'slack' });
    notifier.notify({ ...approved, type: 'request.created', request: sampleRequest() });
    await notifier.idle();
    const body = JSON.parse(r.received[0]?.body ?? '{}') as { text: string };
    expect(body.text).toContain('<https://clearance.example.com/requests/req_1|Open in Clearance>');
    expect(r.received[0]?.headers['x-clearance-signature']).toBeUndefined();
  });
});

describe('the service with a notifier', () => {
  async function service(fetch: typeof globalThis.fetch, url = 'https://ci.example/hook') {
    const clock = new ManualClock(start);
    const failures: WebhookFailure[] = [];
    const notifier = createNotifier(
      {
        webhooks: [{ name: 'ci', format: 'json', url, secretEnv: 'HOOK_SECRET' }],
        retry: { attempts: 1 },
      },
      { env: { HOOK_SECRET: secret }, clock, fetch, onFailure: (f) => failures.push(f) },
    );
    const { app, services, store } = await testApp({
      clock,
      notifier,
      config: {
        users: [
          {
            id: 'alice',
            name: 'alice',
            groups: ['platform'],
            apiTokenSha256: hashApiToken('t-alice'),
          },
          { id: 'carol', name: 'carol', groups: ['ci'], apiTokenSha256: hashApiToken('t-carol') },
        ],
        defaultRule: { approvals: 1, approverGroups: ['platform'], maxDurationSeconds: 3600 },
      },
    });
    const client = (token: string) =>
      new ClearanceClient({
        url: 'https://svc.test',
        token,
        fetch: appFetch(app),
      });
    return {
      notifier,
      store,
      failures,
      clock,
      requests: services.requests,
      carol: client('t-carol'),
      alice: client('t-alice'),
    };
  }

  const change = {
    stack: 'acme/net/prod',
    urn: 'urn:pulumi:prod::net::aws:ec2/securityGroup:SecurityGroup::web',
    type: 'aws:ec2/securityGroup:SecurityGroup',
    policy: 'aws-security-group-open-ingress',
    summary: 'SSH open to the world',
    material: { cidr: '0.0.0.0/0', port: 22 },
  };
  const body = withFingerprint(change);

  it('announces a created and an approved request, and decides without waiting for the receiver', async () => {
    const sent: string[] = [];
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const slow = (async (_url: string, init?: RequestInit) => {
      sent.push(new Headers(init?.headers).get('x-clearance-event') ?? '');
      await gate;
      return new Response(null, { status: 204 });
    }) as typeof globalThis.fetch;
    const svc = await service(slow);
    const request = await svc.carol.createRequest(body);
    const decided = await svc.alice.review(request.id, { decision: 'approve' });
    expect(decided.status).toBe('approved');
    expect(sent).toEqual(['request.created', 'request.approved']);
    release();
    await svc.notifier.idle();
  });

  it('posts every change of a request, created, decided, revoked and expired, signed, to a receiver', async () => {
    const r = await receiver();
    const svc = await service(globalThis.fetch, r.url);
    const denied = await svc.carol.createRequest(body);
    await svc.alice.review(denied.id, { decision: 'deny', reason: 'not now' });
    const revoked = await svc.carol.createRequest(
      withFingerprint({ ...change, material: { port: 23 } }),
    );
    await svc.alice.review(revoked.id, { decision: 'approve' });
    await svc.alice.revoke(revoked.id, { reason: 'done early' });
    const lapsed = await svc.carol.createRequest(
      withFingerprint({ ...change, material: { port: 24 } }),
    );
    await svc.alice.review(lapsed.id, { decision: 'approve' });
    svc.clock.advanceSeconds(3600);
    expect(await svc.requests.expireDue()).toBe(1);
    await svc.notifier.idle();

    const deliveries = r.received.map((x) => {
      const parsed = JSON.parse(x.body) as { type: string; request: { id: string } };
      const timestamp = x.headers['x-clearance-timestamp'] as string;
      // Each delivery is stamped with the service's time when it happened, and verifies then.
      const sent = new Date(Number(timestamp) * 1000);
      const verdict = verifyWebhook({
        secret,
        body: x.body,
        timestamp,
        signature: x.headers['x-clearance-signature'] as string,
        now: sent,
      });
      const minute = (sent.getTime() - start.getTime()) / 60_000;
      return [parsed.type, parsed.request.id, x.headers['x-clearance-event'], verdict.ok, minute];
    });
    // Deliveries run side by side, so they may arrive in any order.
    const byRequest = (list: unknown[][]) => list.map((d) => d.join(' ')).sort();
    expect(byRequest(deliveries)).toEqual(
      byRequest([
        ['request.created', denied.id, 'request.created', true, 0],
        ['request.denied', denied.id, 'request.denied', true, 0],
        ['request.created', revoked.id, 'request.created', true, 0],
        ['request.approved', revoked.id, 'request.approved', true, 0],
        ['request.revoked', revoked.id, 'request.revoked', true, 0],
        ['request.created', lapsed.id, 'request.created', true, 0],
        ['request.approved', lapsed.id, 'request.approved', true, 0],
        ['request.expired', lapsed.id, 'request.expired', true, 60],
      ]),
    );
    expect(svc.failures).toEqual([]);
  });

  it('lets a failed delivery reach the audit trail as webhook.failed', async () => {
    const down = (async () => {
      throw new TypeError('fetch failed');
    }) as typeof globalThis.fetch;
    const svc = await service(down);
    const request = await svc.carol.createRequest(body);
    await svc.notifier.idle();
    expect(svc.failures).toMatchObject([
      { event: 'request.created', requestId: request.id, error: 'could not connect' },
    ]);
    await svc.store.appendAudit(svc.failures.map((f) => webhookFailureEvent(f, start)));
    const [entry] = await svc.store.readAudit({ action: 'webhook.failed' });
    expect(entry).toMatchObject({
      actor: 'system',
      subject: request.id,
      data: { webhook: 'ci', attempts: 1 },
    });
  });
});
