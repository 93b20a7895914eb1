import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '@clearance/client';
import { createApp } from '../app.js';
import { openPostgresStore } from '../store/postgres-store.js';
import { postgresAvailable, usePostgresServer } from '../store/postgres-server.case.js';
import type { Store } from '../store/store.js';
import { CookieAgent, signInAtTestIdp, startTestIdp, type TestIdp } from '../testing/test-idp.js';
import { createMemorySigner } from '../tokens/approval-signer.js';
import { consoleConfig, origin } from './console-harness.case.js';

const available = postgresAvailable('console/postgres-sign-ins.test.ts');

const secretEnv = 'CLEARANCE_TEST_OIDC_SECRET';
const secret = 'postgres-sign-ins-test-secret-0123456789';

describe.runIf(available)('single sign-ons under way on PostgreSQL', () => {
  const server = usePostgresServer();
  let idp: TestIdp;
  const stores: Store[] = [];
  /** The service's clock, at the real time (the IdP's tokens are judged by it) unless moved. */
  const clock = new ManualClock(new Date());

  beforeAll(async () => {
    idp = await startTestIdp([{ login: 'dana', name: 'Dana', groups: ['platform-leads'] }]);
    idp.register({
      clientId: 'clearance',
      clientSecret: secret,
      redirectUris: [`${origin}/login/oidc/callback`],
      postLogoutRedirectUris: [`${origin}/login?bye=1`],
    });
  });

  afterAll(async () => {
    await Promise.all(stores.map((s) => s.close()));
    await idp.close();
  });

  /** Two replicas behind one public URL, on one database. */
  const replicas = async () => {
    const url = await server().createDatabase();
    const config = await consoleConfig({
      oidc: {
        issuer: idp.issuer,
        clientId: 'clearance',
        clientSecretEnv: secretEnv,
        groupMap: { 'platform-leads': ['managers'] },
      },
    });
    const signer = await createMemorySigner({ clock, maxTokenLifetimeSeconds: 3600 });
    const replica = async () => {
      const store = await openPostgresStore({ url, log: () => {} });
      stores.push(store);
      const env = { [secretEnv]: secret };
      return createApp({ store, signer, clock, config, env, log: () => {} }).app;
    };
    return [await replica(), await replica()] as const;
  };
  type App = Awaited<ReturnType<typeof replicas>>[0];

  /** Presses the sign-in button on `app`: the IdP's URL and the sign-in cookie's value. */
  const begin = async (app: App) => {
    clock.set(new Date());
    const start = await app.request(`${origin}/login/oidc?next=/approvals`);
    expect(start.status).toBe(302);
    const cookie = /clearance-sign-in=([\w-]+)/.exec(start.headers.getSetCookie().join())?.[1];
    expect(cookie).toBeDefined();
    return { location: start.headers.get('location') ?? '', cookie: cookie ?? '' };
  };
  const callback = (app: App, url: URL, cookie: string) =>
    app.request(url.href, { headers: { cookie: `clearance-sign-in=${cookie}` } });
  const unknown = 'This sign-in is unknown, expired or already used.';

  it('finishes on another replica than the one it began on, once', async () => {
    const [a, b] = await replicas();
    const { location, cookie } = await begin(a);
    const back = await signInAtTestIdp(new CookieAgent(), location, 'dana');
    const done = await callback(b, back, cookie);
    expect(done.status).toBe(200);
    expect(await done.text()).toContain('You are signed in as Dana.');
    const session = /clearance-session=([\w-]+)/.exec(done.headers.getSetCookie().join())?.[1];
    const home = await a.request(`${origin}/`, {
      headers: { cookie: `clearance-session=${session ?? ''}` },
    });
    expect(home.status).toBe(200);

    // The same callback again, on either replica, finds nothing.
    for (const app of [a, b]) {
      const replay = await callback(app, back, cookie);
      expect(replay.status).toBe(401);
      expect(await replay.text()).toContain(unknown);
    }
  });

  it('is taken by one of two callbacks arriving on both replicas at once', async () => {
    const [a, b] = await replicas();
    const { location, cookie } = await begin(a);
    const back = await signInAtTestIdp(new CookieAgent(), location, 'dana');
    const answers = await Promise.all([callback(a, back, cookie), callback(b, back, cookie)]);
    expect(answers.map((r) => r.status).sort()).toEqual([200, 401]);
  });

  it('lapses after ten minutes on every replica', async () => {
    const [a, b] = await replicas();
    const { location, cookie } = await begin(a);
    const back = await signInAtTestIdp(new CookieAgent(), location, 'dana');
    clock.advance(10 * 60_000);
    const late = await callback(b, back, cookie);
    expect(late.status).toBe(401);
    expect(await late.text()).toContain(unknown);
  });
});
