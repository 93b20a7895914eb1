import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '@clearance/client';
import { CookieAgent, signInAtTestIdp, startTestIdp, type TestIdp } from '../testing/test-idp.js';
import { testApp } from '../testing/test-app.js';
import { startTestServer, type TestServer } from '../testing/test-server.js';
import { consoleConfig, TestBrowser } from './console-harness.case.js';

const secretEnv = 'CLEARANCE_TEST_OIDC_SECRET';
const secret = 'console-oidc-test-secret-0123456789';
const users = [{ login: 'dana', name: 'Dana', groups: ['platform-leads'] }];

const idTokenTtlSeconds = 120;

let idp: TestIdp;
let other: TestIdp;
let clearance: TestServer;
let base: string;
/** The service's clock, kept at the real time unless a test moves it. */
const clock = new ManualClock(new Date());

/**
 * Starts a sign-in from the console's button and goes through the IdP up to the callback URL;
 * `authorize` may change the URL the browser is sent to at the IdP.
 */
async function toCallback(
  agent: CookieAgent,
  authorize: (url: URL) => void = () => undefined,
): Promise<URL> {
  clock.set(new Date());
  const start = await agent.fetch(`${base}/login/oidc?next=/approvals`);
  expect(start.status).toBe(302);
  const url = new URL(start.headers.get('location') ?? '');
  authorize(url);
  return signInAtTestIdp(agent, url.href, 'dana');
}

/** The page is an error page with one line and no stack, and it started no session. */
async function expectRefusedPage(response: Response, status: number, message: RegExp) {
  expect(response.status).toBe(status);
  expect(response.headers.getSetCookie().join()).not.toContain('clearance-session=');
  const page = await response.text();
  expect(page).toContain('<h1>Sign-in failed</h1>');
  expect(page).toContain('<a href="/login">Back to the sign-in page</a>');
  const notice = /<p class="notice error"[^>]*>([^<]*)<\/p>/
    .exec(page)?.[1]
    ?.replaceAll('&quot;', '"');
  expect(notice).toMatch(message);
  expect(notice).not.toContain('\n');
  expect(page).not.toMatch(/ at .*:\d+:\d+|Error:|client_secret|code_verifier/);
}

/** Whether the agent holds a session: the pending page opens instead of leading to the login. */
async function hasSession(agent: CookieAgent): Promise<boolean> {
  return (await agent.fetch(`${base}/`)).status === 200;
}

beforeAll(async () => {
  idp = await startTestIdp(users, { idTokenTtlSeconds });
  other = await startTestIdp(users);
  process.env[secretEnv] = secret;
  clearance = await startTestServer({
    clock,
    config: {
      users: [{ id: 'break-glass', name: 'Break glass', groups: ['managers'] }],
      defaultRule: { approvals: 1, approverGroups: ['managers'], maxDurationSeconds: 3600 },
      oidc: {
        issuer: idp.issuer,
        clientId: 'clearance',
        clientSecretEnv: secretEnv,
        groupMap: { 'platform-leads': ['managers'] },
        localPasswords: false,
      },
    },
  });
  base = clearance.server.consoleUrl;
  const client = {
    clientId: 'clearance',
    clientSecret: secret,
    redirectUris: [`${base}/login/oidc/callback`],
    postLogoutRedirectUris: [`${base}/login?bye=1`],
  };
  idp.register(client);
  other.register(client);
});

afterAll(async () => {
  await clearance.close();
  await idp.close();
  await other.close();
  delete process.env[secretEnv];
});

describe('console sign-in through OpenID Connect, over HTTP', () => {
  it('signs in from the button and back, with a session and a short-lived sign-in cookie', async () => {
    const agent = new CookieAgent();
    const login = await (await agent.fetch(`${base}/login`)).text();
    expect(login).toContain('href="/login/oidc"');
    expect(login).not.toContain('name="password"');
    const start = await agent.fetch(`${base}/login/oidc?next=/approvals`);
    expect(start.headers.getSetCookie().join()).toMatch(
      /clearance-sign-in=[\w-]+; Max-Age=600; Path=\/; HttpOnly; SameSite=Lax/,
    );
    const callback = await signInAtTestIdp(agent, start.headers.get('location') ?? '', 'dana');
    const back = await agent.fetch(callback);
    expect(back.status).toBe(200);
    const page = await back.text();
    expect(page).toContain('<meta http-equiv="refresh" content="0;url=/approvals"/>');
    expect(page).toContain('You are signed in as Dana.');
    expect(await hasSession(agent)).toBe(true);
  });

  it.each([
    {
      what: 'a tampered state',
      callback: (u: URL) => u.searchParams.set('state', 'tampered'),
      message: /^Sign-in refused: unexpected "state" response parameter value\.$/,
    },
    {
      what: 'a sign-in this browser did not start',
      callback: (_u: URL, agent: CookieAgent) =>
        agent.setCookie(base, 'clearance-sign-in', 'forged'),
      message: /^This sign-in is unknown, expired or already used\./,
    },
    {
      what: 'an ID token with another nonce',
      authorize: (u: URL) => u.searchParams.set('nonce', 'a-nonce-never-sent'),
      message: /^Sign-in refused: unexpected ID Token "nonce" claim value\.$/,
    },
    {
      what: 'an answer from another issuer',
      authorize: (u: URL) => {
        u.host = new URL(other.issuer).host;
      },
      message: /^Sign-in refused: unexpected "iss" \(issuer\) response parameter value\.$/,
    },
    {
      what: 'an expired ID token',
      callback: () => clock.advanceSeconds(idTokenTtlSeconds + 60),
      message: /^Sign-in refused: unexpected JWT "exp" \(expiration time\) claim value/,
    },
  ])('shows one line and starts no session for $what', async (c) => {
    const agent = new CookieAgent();
    const callback = await toCallback(agent, c.authorize);
    c.callback?.(callback, agent);
    await expectRefusedPage(await agent.fetch(callback), 401, c.message);
    expect(await hasSession(agent)).toBe(false);
  });

  it('refuses a replayed callback with no session', async () => {
    const agent = new CookieAgent();
    const callback = await toCallback(agent);
    const cookie = agent.cookie(base, 'clearance-sign-in') ?? '';
    expect((await agent.fetch(callback)).status).toBe(200);
    const replay = new CookieAgent();
    replay.setCookie(base, 'clearance-sign-in', cookie);
    await expectRefusedPage(
      await replay.fetch(callback),
      401,
      /^This sign-in is unknown, expired or already used\./,
    );
    expect(await hasSession(replay)).toBe(false);
  });

  it('refuses local passwords when the config switches them off', async () => {
    const agent = new CookieAgent();
    await agent.fetch(`${base}/login`);
    const posted = await agent.fetch(`${base}/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: base },
      body: new URLSearchParams({ username: 'break-glass', password: 'whatever', _token: 'x' }),
    });
    expect(posted.status).toBe(403);
    expect(await posted.text()).toContain('Local passwords are switched off: use single sign-on.');
  });

  it('records each refused sign-in in the audit trail', async () => {
    const entries = await clearance.server.services.audit.readAudit();
    expect(
      entries.some(
        (e) => e.action === 'auth.failed' && e.subject === 'oidc' && e.data?.via === 'oidc',
      ),
    ).toBe(true);
  });

  it('says the IdP cannot be reached when it is down, and starts no session', async () => {
    const agent = new CookieAgent();
    const callback = await toCallback(agent);
    await idp.close();
    const unreachable = /^The identity provider cannot be reached\. Try again later\.$/;
    await expectRefusedPage(await agent.fetch(callback), 502, unreachable);
    // A service whose first sign-in finds the IdP down: its metadata cannot be read.
    const fresh = await startTestServer({
      config: {
        defaultRule: { approvals: 1, approverGroups: ['managers'], maxDurationSeconds: 3600 },
        oidc: { issuer: idp.issuer, clientId: 'clearance', clientSecretEnv: secretEnv },
      },
    });
    try {
      const start = await agent.fetch(`${fresh.server.consoleUrl}/login/oidc`);
      expect(start.headers.getSetCookie().join()).not.toContain('clearance-sign-in=');
      await expectRefusedPage(start, 502, unreachable);
    } finally {
      await fresh.close();
    }
    expect(await hasSession(agent)).toBe(false);
  });

  it('stops the start when the client secret variable is not set', async () => {
    await expect(
      startTestServer({
        config: {
          defaultRule: { approvals: 1, approverGroups: ['managers'], maxDurationSeconds: 3600 },
          oidc: {
            issuer: idp.issuer,
            clientId: 'c',
            clientSecretEnv: 'CLEARANCE_TEST_UNSET_SECRET',
          },
        },
      }),
    ).rejects.toMatchObject({
      code: 'ERR_CONFIG',
      message:
        'oidc.clientSecretEnv: the environment variable CLEARANCE_TEST_UNSET_SECRET is not set',
    });
  });
});

describe('local passwords beside single sign-on', () => {
  it('offers both by default: the button, and the password form that still signs in', async () => {
    const config = await consoleConfig({
      oidc: { issuer: 'https://login.example.com', clientId: 'clearance' },
    });
    const { app } = await testApp({ config });
    const browser = new TestBrowser(app);
    const login = await (await browser.get('/login')).text();
    expect(login).toContain('Sign in with single sign-on');
    expect(login).toContain('name="password"');
    expect((await browser.login('alice')).status).toBe(303);
    expect((await browser.get('/')).status).toBe(200);
  });
});
