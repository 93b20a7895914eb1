import { describe, expect, it } from 'vitest';
import { consoleHarness, formToken, origin, TestBrowser } from './console-harness.case.js';

describe('console sessions', () => {
  it('sends a visitor without a session to the login page, keeping where they were going', async () => {
    const { app } = await consoleHarness();
    const browser = new TestBrowser(app);
    const home = await browser.get('/');
    expect(home.status).toBe(303);
    expect(home.headers.get('location')).toBe('/login');
    const detail = await browser.get('/requests/req_x?a=1');
    expect(detail.headers.get('location')).toBe('/login?next=%2Frequests%2Freq_x%3Fa%3D1');
  });

  it('logs in with a config user and sets a strict HttpOnly session cookie', async () => {
    const { app } = await consoleHarness();
    const browser = new TestBrowser(app);
    const res = await browser.login('alice');
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/');
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('clearance-session='));
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).toMatch(/Path=\//);
    expect(cookie).not.toMatch(/Secure/);
    const home = await browser.get('/');
    expect(home.status).toBe(200);
    expect(await home.text()).toContain('Signed in as <strong>Alice</strong>');
  });

  it('uses Secure __Host- cookies over TLS, and behind a trusted proxy only', async () => {
    const { app } = await consoleHarness();
    const tls = new TestBrowser(app, 'https://console.test');
    const res = await tls.login('alice');
    const cookie = res.headers
      .getSetCookie()
      .find((c) => c.startsWith('__Host-clearance-session='));
    expect(cookie).toMatch(/Secure/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).toMatch(/Path=\//);
    expect(cookie).not.toMatch(/Domain=/);
    expect((await tls.get('/')).status).toBe(200);

    const proxied = { 'x-forwarded-proto': 'https' };
    const untrusted = new TestBrowser(app);
    const plain = await untrusted.get('/login', proxied);
    expect(plain.headers.getSetCookie().join()).not.toMatch(/__Host-|Secure/);

    const trusted = new TestBrowser((await consoleHarness({ trustProxy: true })).app);
    const behindProxy = await trusted.get('/login', proxied);
    expect(behindProxy.headers.getSetCookie().join()).toMatch(/^__Host-clearance-login=.*Secure/);
  });

  it('starts a new session id at every login and ends the old one', async () => {
    const { app } = await consoleHarness();
    const browser = new TestBrowser(app);
    await browser.login('alice');
    const first = browser.cookies.get('clearance-session');
    await browser.login('bob');
    const second = browser.cookies.get('clearance-session');
    expect(first).toBeDefined();
    expect(second).toBeDefined();
    expect(second).not.toBe(first);
    const replay = new TestBrowser(app);
    replay.cookies.set('clearance-session', first ?? '');
    expect((await replay.get('/')).status).toBe(303);
  });

  it('answers an unknown user and a wrong password the same way, and audits both', async () => {
    const { app, services } = await consoleHarness();
    const browser = new TestBrowser(app);
    const wrong = await browser.login('alice', 'not-the-password');
    const unknown = await browser.login('mallory', 'whatever');
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(await wrong.text()).toBe(await unknown.text());
    expect(browser.cookies.has('clearance-session')).toBe(false);
    const failures = await services.audit.readAudit({ action: 'auth.failed' });
    expect(failures.map((e) => e.subject)).toEqual(['alice', 'mallory']);
    expect(JSON.stringify(failures)).not.toContain('not-the-password');
  });

  it('ends a session after the idle timeout and after the absolute timeout', async () => {
    const { app, clock } = await consoleHarness({
      idleTimeoutSeconds: 600,
      absoluteTimeoutSeconds: 3600,
    });
    const idle = new TestBrowser(app);
    await idle.login('alice');
    clock.advanceSeconds(599);
    expect((await idle.get('/')).status).toBe(200);
    clock.advanceSeconds(600);
    expect((await idle.get('/')).status).toBe(303);

    const busy = new TestBrowser(app);
    await busy.login('bob');
    for (let i = 0; i < 7; i++) {
      clock.advanceSeconds(500);
      expect((await busy.get('/')).status).toBe(200);
    }
    clock.advanceSeconds(100);
    expect((await busy.get('/')).status).toBe(303);
  });

  it('ends the session on logout', async () => {
    const { app } = await consoleHarness();
    const browser = new TestBrowser(app);
    await browser.login('alice');
    const session = browser.cookies.get('clearance-session');
    const out = await browser.submit('/', '/logout', {});
    expect(out.status).toBe(303);
    expect(out.headers.get('location')).toBe('/login?bye=1');
    expect(browser.cookies.has('clearance-session')).toBe(false);
    const replay = new TestBrowser(app);
    replay.cookies.set('clearance-session', session ?? '');
    expect((await replay.get('/')).status).toBe(303);
  });

  it('slows down the failures of an account, but always lets its owner in with the right password', async () => {
    const { app, clock } = await consoleHarness({
      loginLimitPerAccount: 3,
      loginWindowSeconds: 600,
    });
    const attacker = new TestBrowser(app);
    for (let i = 0; i < 3; i++) expect((await attacker.login('alice', 'wrong')).status).toBe(401);
    const limited = await attacker.login('alice', 'wrong');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('1');
    expect(await limited.text()).toContain(
      'Unknown user name or wrong password. Too many failed sign-ins: wait 1 s before the next try.',
    );
    for (let i = 0; i < 20; i++) await attacker.login('alice', `guess-${i}`);

    // The owner, from the same address and from another browser, is not locked out.
    expect((await new TestBrowser(app).login('alice')).status).toBe(303);
    // Signing in cleared the account's failures: the next wrong one is an ordinary 401.
    expect((await attacker.login('alice', 'wrong')).status).toBe(401);
    for (let i = 0; i < 2; i++) await attacker.login('alice', 'wrong');
    expect((await attacker.login('alice', 'wrong')).status).toBe(429);
    clock.advanceSeconds(1);
    expect((await attacker.login('alice', 'wrong')).status).toBe(401);
    expect((await attacker.login('alice', 'wrong')).headers.get('retry-after')).toBe('2');
    expect((await attacker.login('bob')).status).toBe(303);
  });

  it('slows down the failures of an address across accounts, never a right password from it', async () => {
    const { app } = await consoleHarness({ loginLimitPerAddress: 3, loginLimitPerAccount: 100 });
    const attacker = new TestBrowser(app, origin, {
      incoming: { socket: { remoteAddress: '198.51.100.7' } },
    });
    for (const user of ['alice', 'bob', 'nobody']) {
      expect((await attacker.login(user, 'guess')).status).toBe(401);
    }
    expect((await attacker.login('carol', 'guess')).status).toBe(429);
    expect((await attacker.login('carol')).status).toBe(303);
    const elsewhere = new TestBrowser(app, origin, {
      incoming: { socket: { remoteAddress: '198.51.100.8' } },
    });
    expect((await elsewhere.login('carol', 'guess')).status).toBe(401);
  });

  it('returns to a console page after login, never to another site', async () => {
    const { app } = await consoleHarness();
    const browser = new TestBrowser(app);
    const page = await (await browser.get('/login?next=%2Fapprovals')).text();
    const res = await browser.post('/login', {
      _token: formToken(page),
      username: 'alice',
      password: 'alice',
      next: '//evil.example/',
    });
    expect(res.headers.get('location')).toBe('/');
    const again = new TestBrowser(app);
    const ok = await again.post('/login', {
      _token: formToken(await (await again.get('/login')).text()),
      username: 'alice',
      password: 'alice',
      next: '/approvals',
    });
    expect(ok.headers.get('location')).toBe('/approvals');
    const third = new TestBrowser(app);
    const crlf = await third.post('/login', {
      _token: formToken(await (await third.get('/login')).text()),
      username: 'alice',
      password: 'alice',
      next: '/x\r\nSet-Cookie: a=b',
    });
    expect(crlf.headers.get('location')).toBe('/');
  });

  it('limits a parallel burst of failures like a sequence, and lets the right password through it', async () => {
    const { app, services } = await consoleHarness({ loginLimitPerAccount: 3 });
    const browsers = Array.from({ length: 9 }, () => new TestBrowser(app));
    const pages = await Promise.all(
      browsers.map(async (b) => formToken(await (await b.get('/login')).text())),
    );
    const guesses = await Promise.all(
      browsers
        .slice(0, 8)
        .map((b, i) =>
          b.post('/login', { _token: pages[i] ?? '', username: 'alice', password: 'guess' }),
        ),
    );
    // Once the burst is limited, the right password still gets in (awaited after it: a success
    // clears the account's failures, so racing it would make the count depend on timing).
    const owner = await browsers[8]!.post('/login', {
      _token: pages[8] ?? '',
      username: 'alice',
      password: 'alice',
    });
    expect(owner.status).toBe(303);
    const statuses = guesses.map((r) => r.status).sort();
    expect(statuses).toEqual([401, 401, 401, 429, 429, 429, 429, 429]);
    expect(await services.audit.readAudit({ action: 'auth.failed' })).toHaveLength(3);
  });

  it('does not count a successful login against the address', async () => {
    const { app } = await consoleHarness({ loginLimitPerAddress: 2 });
    const browser = new TestBrowser(app);
    for (let i = 0; i < 4; i++) expect((await browser.login('alice')).status).toBe(303);
    expect((await browser.login('bob', 'wrong')).status).toBe(401);
    expect((await browser.login('bob')).status).toBe(303);
  });
});
