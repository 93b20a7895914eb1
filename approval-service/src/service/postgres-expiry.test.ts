import { describe, expect, it } from 'vitest';
import { ManualClock } from '@clearance/client';
import { createApp } from '../app.js';
import { loadConfig } from '../config/load-config.js';
import { demoConfigPath, requestFor } from '../http/app-harness.case.js';
import type { NotificationEvent } from './notifier.js';
import { openPostgresStore } from '../store/postgres-store.js';
import { postgresAvailable, usePostgresServer } from '../store/postgres-server.case.js';
import type { Store } from '../store/store.js';
import { testStart } from '../testing/test-app.js';
import { createMemorySigner } from '../tokens/approval-signer.js';

const available = postgresAvailable('service/postgres-expiry.test.ts');

describe.runIf(available)('pending-request expiry on PostgreSQL', () => {
  const server = usePostgresServer();

  it('two replicas sweeping at once expire each request once, and notify once', async () => {
    const url = await server().createDatabase();
    const clock = new ManualClock(testStart);
    const config = loadConfig(demoConfigPath);
    const signer = await createMemorySigner({ clock, maxTokenLifetimeSeconds: 3600 });
    const notified: NotificationEvent[] = [];
    const stores: Store[] = [];
    const replica = async () => {
      const store = await openPostgresStore({ url, log: () => {} });
      stores.push(store);
      const notifier = { notify: (e: NotificationEvent) => void notified.push(e) };
      return createApp({ store, signer, clock, config, notifier, env: {}, log: () => {} }).services;
    };
    try {
      const [a, b] = [await replica(), await replica()];
      const carol = a.auth.authenticateToken('demo-carol');
      if (!carol) throw new Error('the demo config does not know carol');
      for (let i = 0; i < 5; i++)
        await a.requests.createRequest(carol, requestFor({ material: { i } }));
      clock.advanceSeconds(config.pendingTtlSeconds + 1);
      notified.length = 0;
      const counts = await Promise.all([a.requests.expireDue(), b.requests.expireDue()]);
      expect(counts.sort()).toEqual([0, 5]);
      expect(notified.filter((e) => e.type === 'request.expired')).toHaveLength(5);
      const trail = await a.audit.readAudit();
      expect(trail.filter((e) => e.action === 'request.expired')).toHaveLength(5);
    } finally {
      await Promise.all(stores.map((s) => s.close()));
    }
  });
});
