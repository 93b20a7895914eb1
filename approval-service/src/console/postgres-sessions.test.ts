import { describe, expect, it } from 'vitest';
import { ManualClock } from '@clearance/client';
import { createApp } from '../app.js';
import { openPostgresStore } from '../store/postgres-store.js';
import { postgresAvailable, usePostgresServer } from '../store/postgres-server.case.js';
import type { Store } from '../store/store.js';
import { testStart } from '../testing/test-app.js';
import { createMemorySigner } from '../tokens/approval-signer.js';
import { consoleConfig, TestBrowser } from './console-harness.case.js';

const available = postgresAvailable('console/postgres-sessions.test.ts');

describe.runIf(available)('console sessions on PostgreSQL', () => {
  const server = usePostgresServer();

  it('survive a restart and cross replicas, as does the login form; a logout on one ends them on all', async () => {
    const url = await server().createDatabase();
    const clock = new ManualClock(testStart);
    const config = await consoleConfig();
    const signer = await createMemorySigner({ clock, maxTokenLifetimeSeconds: 3600 });
    const stores: Store[] = [];
    const replica = async () => {
      const store = await openPostgresStore({ url, log: () => {} });
      stores.push(store);
      return createApp({ store, signer, clock, config, env: {}, log: () => {} }).app;
    };
    /** A browser on `app` holding the cookies `from` holds. */
    const sameBrowser = (app: Awaited<ReturnType<typeof replica>>, from: TestBrowser) => {
      const browser = new TestBrowser(app);
      for (const [name, value] of from.cookies) browser.cookies.set(name, value);
      return browser;
    };
    const signedIn = async (browser: TestBrowser) => {
      const home = await browser.get('/');
      return home.status === 200 && (await home.text()).includes('Signed in as <strong>Alice');
    };
    try {
      const [a, b] = [await replica(), await replica()];
      const onA = new TestBrowser(a);
      expect((await onA.login('alice')).status).toBe(303);
      expect(await signedIn(onA)).toBe(true);
      const onB = sameBrowser(b, onA);
      expect(await signedIn(onB)).toBe(true);

      // A restart: a new process with nothing in memory.
      await stores[0]?.close();
      const restarted = sameBrowser(await replica(), onA);
      expect(await signedIn(restarted)).toBe(true);

      // The session's form token works on another replica than the one that served the form.
      const page = await (await onB.get('/')).text();
      const token = /name="_token" value="([^"]+)"/.exec(page)?.[1] ?? '';
      expect((await restarted.post('/logout', { _token: token })).status).toBe(303);
      expect(await signedIn(sameBrowser(b, onA))).toBe(false);

      // A login form served by one replica is taken by another.
      const fresh = new TestBrowser(a);
      const form = await (await fresh.get('/login')).text();
      const elsewhere = sameBrowser(b, fresh);
      const login = await elsewhere.post('/login', {
        _token: /name="_token" value="([^"]+)"/.exec(form)?.[1] ?? '',
        username: 'alice',
        password: 'alice',
      });
      expect(login.status).toBe(303);
      expect(await signedIn(elsewhere)).toBe(true);

      // Idle past the timeout: ended everywhere.
      const again = new TestBrowser(b);
      await again.login('alice');
      clock.advanceSeconds(24 * 3600);
      expect(await signedIn(sameBrowser(await replica(), again))).toBe(false);
    } finally {
      await Promise.all(stores.map((s) => s.close()));
    }
  });
});
