import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ManualClock, systemClock, type Clock } from '@clearance/client';
import { openPostgresStore } from '../store/postgres-store.js';
import { postgresAvailable, usePostgresServer } from '../store/postgres-server.case.js';
import type { Store } from '../store/store.js';
import { sampleRequest, startReceiver } from './test-support.case.js';
import { createNotifier, type WebhookFailure, type WebhookNotifier } from './webhook-notifier.js';

const available = postgresAvailable('notify/postgres-deliveries.test.ts');

const secret = 'postgres-deliveries-test-secret-0123456789';

describe.runIf(available)('webhook deliveries on PostgreSQL', () => {
  const server = usePostgresServer();
  const opened: Store[] = [];
  const notifiers: WebhookNotifier[] = [];

  afterEach(async () => {
    const all = notifiers.splice(0);
    for (const n of all) n.stop();
    await Promise.all(all.map((n) => n.idle()));
    await Promise.all(opened.splice(0).map((s) => s.close()));
  });

  /** A replica's notifier on the database `url`, posting to `hookUrl`. */
  const replica = async (
    url: string,
    hookUrl: string,
    failures: WebhookFailure[] = [],
    clock: Clock = systemClock,
  ) => {
    const store = await openPostgresStore({ url, log: () => {} });
    opened.push(store);
    const notifier = createNotifier(
      {
        webhooks: [{ name: 'ops', format: 'json', url: hookUrl, secretEnv: 'HOOK_SECRET' }],
        retry: { attempts: 4, initialDelayMs: 0, maxDelayMs: 0 },
        timeoutMs: 5000,
      },
      { env: { HOOK_SECRET: secret }, clock, pollMs: 20, onFailure: (f) => failures.push(f) },
    );
    if (!store.deliveries) throw new Error('the PostgreSQL store keeps no deliveries');
    notifier.useQueue(store.deliveries);
    notifiers.push(notifier);
    return notifier;
  };
  const event = (n: number) => ({
    type: 'request.created' as const,
    request: sampleRequest({ id: `req_${n}` }),
    at: '2026-01-05T10:00:00.000Z',
  });
  const queued = async (url: string) => {
    const { default: pg } = await import('pg');
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const { rows } = await client.query<{ n: string }>(
        'SELECT count(*) AS n FROM clearance_webhook_deliveries',
      );
      return Number(rows[0]?.n);
    } finally {
      await client.end();
    }
  };

  it('makes every delivery once with two replicas, retries included', async () => {
    const url = await server().createDatabase();
    // The first five attempts fail: their deliveries are retried, by either replica.
    const receiver = await startReceiver([
      ...Array<{ status: number }>(5).fill({ status: 503 }),
      { status: 204 },
    ]);
    try {
      const failures: WebhookFailure[] = [];
      const [a, b] = [
        await replica(url, receiver.url, failures),
        await replica(url, receiver.url, failures),
      ];
      for (let n = 0; n < 20; n++) (n % 2 === 0 ? a : b).notify(event(n));
      await vi.waitFor(async () => expect(await queued(url)).toBe(0), {
        timeout: 30_000,
        interval: 50,
      });
      a.stop();
      b.stop();
      await Promise.all([a.idle(), b.idle()]);
      const delivered = receiver.received.slice(5).map((r) => r.headers['x-clearance-delivery']);
      expect(delivered).toHaveLength(20);
      expect(new Set(delivered).size).toBe(20);
      const subjects = receiver.received
        .slice(5)
        .map((r) => (JSON.parse(r.body) as { request: { id: string } }).request.id);
      expect(new Set(subjects)).toEqual(new Set(Array.from({ length: 20 }, (_, n) => `req_${n}`)));
      expect(failures).toEqual([]);
    } finally {
      await receiver.close();
    }
  });

  it('gives a delivery up after the attempts the retry settings allow, reporting it once', async () => {
    const url = await server().createDatabase();
    const receiver = await startReceiver([{ status: 500 }]);
    try {
      const failures: WebhookFailure[] = [];
      const [a] = [
        await replica(url, receiver.url, failures),
        await replica(url, receiver.url, failures),
      ];
      a.notify(event(7));
      await vi.waitFor(() => expect(failures).toHaveLength(1), { timeout: 10_000, interval: 20 });
      expect(await queued(url)).toBe(0);
      expect(receiver.received).toHaveLength(4);
      expect(failures[0]).toMatchObject({
        webhook: 'ops',
        event: 'request.created',
        requestId: 'req_7',
        attempts: 4,
        error: 'HTTP 500',
      });
    } finally {
      await receiver.close();
    }
  });

  /** A receiver that answers every attempt but the first, which it holds. */
  const holdingReceiver = async () => {
    const held: ServerResponse[] = [];
    const received: string[] = [];
    const hook = createServer((req, res) => {
      received.push(String(req.headers['x-clearance-delivery']));
      req.resume();
      if (received.length === 1) held.push(res);
      else res.writeHead(204).end();
    });
    await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve));
    return {
      url: `http://127.0.0.1:${(hook.address() as AddressInfo).port}/hook`,
      received,
      close: async () => {
        for (const res of held) res.destroy();
        hook.closeAllConnections();
        await new Promise<void>((resolve) => hook.close(() => resolve()));
      },
    };
  };

  it.each([
    {
      how: 'stops',
      end: async (a: WebhookNotifier) => {
        expect(a.stop()).toEqual([]);
        await a.idle();
      },
    },
    // A replica that dies holds its claim until the lease (the attempt timeout and 30 s) is over.
    {
      how: 'dies',
      end: (_a: WebhookNotifier, clock: ManualClock) => {
        clock.advance(5000 + 30_000);
      },
    },
  ])(
    'leaves a delivery its replica was making when it $how to the other replica',
    async ({ end }) => {
      const url = await server().createDatabase();
      const clock = new ManualClock(new Date());
      const receiver = await holdingReceiver();
      const { received } = receiver;
      try {
        const a = await replica(url, receiver.url, [], clock);
        a.notify(event(1));
        await vi.waitFor(() => expect(received).toHaveLength(1), { timeout: 10_000, interval: 20 });
        const b = await replica(url, receiver.url, [], clock);
        await end(a, clock);
        await vi.waitFor(() => expect(received).toHaveLength(2), { timeout: 10_000, interval: 20 });
        expect(received[1]).toBe(received[0]);
        await vi.waitFor(async () => expect(await queued(url)).toBe(0), {
          timeout: 10_000,
          interval: 20,
        });
        b.stop();
        await b.idle();
        expect(received).toHaveLength(2);
      } finally {
        await receiver.close();
      }
    },
  );
});
