import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { consoleHarness, formToken, TestBrowser } from './console-harness.case.js';

describe('console protection', () => {
  it('refuses a POST without the session form token, or with another session’s', async () => {
    const { app, openRequest, services } = await consoleHarness();
    const request = await openRequest();
    const alice = new TestBrowser(app);
    await alice.login('alice');
    const bob = new TestBrowser(app);
    await bob.login('bob');
    const bobsToken = formToken(await (await bob.get('/')).text());
    const path = `/requests/${request.id}/review`;
    const without = await alice.post(path, { decision: 'approve', durationSeconds: '1800' });
    expect(without.status).toBe(403);
    expect(await without.text()).toContain('did not come from this console');
    const foreign = await alice.post(path, { _token: bobsToken, decision: 'approve' });
    expect(foreign.status).toBe(403);
    expect((await services.requests.getRequest(request.id)).reviews).toEqual([]);
  });

  it('refuses a POST from a foreign origin or with no origin at all, even with the token', async () => {
    const { app, openRequest, services } = await consoleHarness();
    const request = await openRequest();
    const alice = new TestBrowser(app);
    await alice.login('alice');
    const token = formToken(await (await alice.get(`/requests/${request.id}`)).text());
    const path = `/requests/${request.id}/review`;
    const fields = { _token: token, decision: 'approve' };
    const evil = await alice.post(path, fields, { origin: 'https://evil.example' });
    expect(evil.status).toBe(403);
    expect(await evil.text()).toContain('not sent from a page of this console');
    expect((await alice.post(path, fields, { origin: null })).status).toBe(403);
    expect(
      (
        await alice.post(path, fields, {
          origin: null,
          headers: { 'sec-fetch-site': 'cross-site' },
        })
      ).status,
    ).toBe(403);
    expect((await services.requests.getRequest(request.id)).reviews).toEqual([]);
    expect((await alice.post(path, fields)).status).toBe(303);
  });

  it('refuses a login POST without the login form token or from a foreign origin', async () => {
    const { app } = await consoleHarness();
    const browser = new TestBrowser(app);
    const page = await (await browser.get('/login')).text();
    const creds = { username: 'alice', password: 'alice' };
    expect((await browser.post('/login', creds)).status).toBe(403);
    expect(
      (
        await browser.post(
          '/login',
          { ...creds, _token: formToken(page) },
          { origin: 'https://evil.example' },
        )
      ).status,
    ).toBe(403);
    const stranger = new TestBrowser(app);
    expect((await stranger.post('/login', { ...creds, _token: formToken(page) })).status).toBe(403);
    expect(browser.cookies.has('clearance-session')).toBe(false);
  });

  it('refuses a form it cannot read (a multipart body that is not one) with a 400, not a 500', async () => {
    const { app, openRequest, services, logs } = await consoleHarness();
    const request = await openRequest();
    const alice = new TestBrowser(app);
    await alice.login('alice');
    const token = formToken(await (await alice.get(`/requests/${request.id}`)).text());
    const multipart = { 'content-type': 'multipart/form-data; boundary=x' };
    const fields = { _token: token, decision: 'approve', reason: 'ok' };
    const review = await alice.post(`/requests/${request.id}/review`, fields, {
      headers: multipart,
    });
    expect(review.status).toBe(400);
    expect(await review.text()).toContain('Refused (ERR_BAD_REQUEST)');
    const login = new TestBrowser(app);
    const page = await (await login.get('/login')).text();
    const creds = { _token: formToken(page), username: 'bob', password: 'bob' };
    expect((await login.post('/login', creds, { headers: multipart })).status).toBe(400);
    expect((await services.requests.getRequest(request.id)).reviews).toEqual([]);
    expect(logs).toEqual([]);
  });

  it('sends a strict Content-Security-Policy and the other security headers', async () => {
    const { app } = await consoleHarness();
    const res = await new TestBrowser(app).get('/login');
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).toContain("form-action 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toMatch(/script-src|unsafe-inline/);
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('cache-control')).toBe('no-store');
    const html = await res.text();
    expect(html).not.toMatch(/<script|<style|style=/);
    const css = await new TestBrowser(app).get('/console.css');
    expect(css.headers.get('content-type')).toMatch(/^text\/css/);
    expect(await css.text()).toContain(':focus-visible');
  });

  it('shows a reason containing <script> as text', async () => {
    const { app, openRequest } = await consoleHarness();
    const request = await openRequest({
      reason: '<script>alert("x")</script>',
      summary: '<img src=x onerror=alert(1)>',
    });
    const alice = new TestBrowser(app);
    await alice.login('alice');
    const page = await (await alice.get(`/requests/${request.id}`)).text();
    expect(page).not.toContain('<script>');
    expect(page).not.toContain('<img');
    expect(page).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
  });

  it('leaves other routes of the app alone (no console middleware on the API)', async () => {
    const { app } = await consoleHarness();
    const parent = new Hono();
    parent.post('/v1/ping', (c) => c.text('pong'));
    parent.route('/', app);
    const res = await parent.request('http://console.test/v1/ping', {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        origin: 'https://elsewhere.example',
      },
      body: 'a=1',
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toBeNull();
  });

  it('fails closed with a plain error page when the service breaks, naming no internals', async () => {
    const { app, store, logs } = await consoleHarness();
    const alice = new TestBrowser(app);
    await alice.login('alice');
    await store.close();
    const res = await alice.get('/');
    expect(res.status).toBe(500);
    const html = await res.text();
    expect(html).toContain('The console could not complete this request.');
    expect(html).not.toContain('store is closed');
    expect(logs).toEqual([
      expect.stringContaining('console: unexpected error on GET /: ClearanceError'),
    ]);
  });
});
