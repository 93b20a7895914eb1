import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CookieAgent, signInAtTestIdp, startTestIdp, type TestIdp } from '../testing/test-idp.js';
import { startTestServer, type TestServer } from '../testing/test-server.js';

const secretEnv = 'CLEARANCE_TEST_OIDC_SECRET';
const secret = 'console-oidc-test-secret-0123456789';
const users = [{ login: 'dana', name: 'Dana', groups: ['platform-leads'] }];

let idp: TestIdp;
let clearance: TestServer;
let base: string;

/** Starts a sign-in from the console's button, through the IdP, up to the callback URL. */
async function toCallback(agent: CookieAgent): Promise<URL> {
  const start = await agent.fetch(`${base}/login/oidc?next=/approvals`);
  expect(start.status).toBe(302);
  return signInAtTestIdp(agent, start.headers.get('location') ?? '', 'dana');
}

/** Whether the agent holds a session: the pending page opens instead of leading to the login. */
async function hasSession(agent: CookieAgent): Promise<boolean> {
  return (await agent.fetch(`${base}/`)).status === 200;
}

beforeAll(async () => {
  idp = await startTestIdp(users);
  process.env[secretEnv] = secret;
  clearance = await startTestServer({
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
  idp.register({
    clientId: 'clearance',
    clientSecret: secret,
    redirectUris: [`${base}/login/oidc/callback`],
    postLogoutRedirectUris: [`${base}/login?bye=1`],
  });
});

afterAll(async () => {
  await clearance.close();
  await idp.close();
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
    [
      'a tampered state',
      (u: URL) => u.searchParams.set('state', 'tampered'),
      /^Sign-in refused: .*state/,
    ],
    [
      'a sign-in the browser did not start (no sign-in cookie)',
      (_u: URL, agent: CookieAgent) => agent.setCookie(base, 'clearance-sign-in', 'forged'),
      /^This sign-in is unknown, expired or already used/,
    ],
  ])('shows one line and starts no session for %s', async (_what, alter, message) => {
    const agent = new CookieAgent();
    const callback = await toCallback(agent);
    alter(callback, agent);
    const back = await agent.fetch(callback);
    expect(back.status).toBe(401);
    expect(back.headers.getSetCookie().join()).not.toContain('clearance-session=');
    const page = await back.text();
    const notice = /<p class="notice error"[^>]*>([^<]*)<\/p>/.exec(page)?.[1] ?? page;
    expect(notice).not.toBe(page);
    expect(notice).toMatch(message);
    expect(notice).not.toContain('\n');
    expect(page).not.toMatch(/at .*\.ts:\d+|Error:|code=|client_secret/);
    expect(await hasSession(agent)).toBe(false);
  });

  it('refuses a replayed callback with no session', async () => {
    const agent = new CookieAgent();
    const callback = await toCallback(agent);
    const cookie = agent.cookie(base, 'clearance-sign-in') ?? '';
    expect((await agent.fetch(callback)).status).toBe(200);
    const replay = new CookieAgent();
    replay.setCookie(base, 'clearance-sign-in', cookie);
    const again = await replay.fetch(callback);
    expect(again.status).toBe(401);
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
});
