import type { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { consoleHarness, formToken, TestBrowser } from './console-harness.case.js';

async function loggedIn(app: Hono, user: string) {
  const browser = new TestBrowser(app);
  expect((await browser.login(user)).status).toBe(303);
  return browser;
}

describe('a denied request in the console', () => {
  it('says the change stays denied, and lets another approver reopen it (audited)', async () => {
    const { app, openRequest, store } = await consoleHarness({}, { denialCooldownSeconds: 3600 });
    const request = await openRequest();
    const page = `/requests/${request.id}`;
    const bob = await loggedIn(app, 'bob');
    await bob.submit(page, `${page}/review`, {
      decision: 'deny',
      reason: 'not during the sale',
      confirm: 'deny',
    });

    const carol = await loggedIn(app, 'carol');
    const asRequester = await (await carol.get(page)).text();
    expect(asRequester).toMatch(/stays denied until an approver reopens this request\s*, or until/);
    expect(asRequester).toContain('2026-01-05 10:00 UTC');
    expect(asRequester).not.toContain(`${page}/reopen`);

    const alice = await loggedIn(app, 'alice');
    expect(await (await alice.get(page)).text()).toContain(`action="${page}/reopen"`);
    const done = await alice.submit(page, `${page}/reopen`, { reason: 'sale is over' });
    expect(done.status).toBe(303);
    const after = await (await alice.get(page)).text();
    expect(after).toContain('You reopened this request');
    expect(after).toContain('Reopened by alice');
    expect(after).not.toContain(`${page}/reopen"`);
    const [event] = await store.readAudit({ action: 'request.reopened' });
    expect(event).toMatchObject({
      actor: 'alice',
      subject: request.id,
      data: { reason: 'sale is over' },
    });
  });

  it('shows the service’s refusal of a forged reopen by the requester', async () => {
    const { app, openRequest } = await consoleHarness();
    const request = await openRequest();
    const page = `/requests/${request.id}`;
    const bob = await loggedIn(app, 'bob');
    await bob.submit(page, `${page}/review`, { decision: 'deny', reason: 'no', confirm: 'deny' });
    const carol = await loggedIn(app, 'carol');
    const forged = await carol.submit(page, `${page}/reopen`, { reason: 'please' });
    expect(forged.status).toBe(403);
    expect(await forged.text()).toContain('Refused (ERR_SELF_REVIEW)');
  });

  it('asks once before a denial, on a page of its own, and says what a denial means', async () => {
    const { app, openRequest, services } = await consoleHarness(
      {},
      { denialCooldownSeconds: 7200 },
    );
    const request = await openRequest();
    const page = `/requests/${request.id}`;
    const bob = await loggedIn(app, 'bob');
    const form = await (await bob.get(page)).text();
    expect(form).toContain('Deny asks you to confirm. A denial is final');
    expect(form).toContain('or for 2 h.');

    const asked = await bob.submit(page, `${page}/review`, {
      decision: 'deny',
      reason: 'not <now>',
    });
    expect(asked.status).toBe(200);
    const confirm = await asked.text();
    expect(confirm).toContain('Confirm the denial');
    expect(confirm).toContain('the deployment that needs it stops');
    expect(confirm).toContain('name="reason" value="not &lt;now&gt;"');
    expect(confirm).toContain(`href="${page}">Back, do not deny`);
    expect((await services.requests.getRequest(request.id)).status).toBe('pending');

    // The confirmation page's own form, as the browser sends it.
    const fields = Object.fromEntries(
      [...confirm.matchAll(/<input type="hidden" name="(\w+)" value="([^"]*)"/g)].map((m) => [
        m[1] as string,
        (m[2] as string).replaceAll('&lt;', '<').replaceAll('&gt;', '>'),
      ]),
    );
    expect(fields).toEqual({
      _token: formToken(confirm),
      decision: 'deny',
      confirm: 'deny',
      reason: 'not <now>',
    });
    const done = await bob.post(`${page}/review`, fields);
    expect(done.status).toBe(303);
    const denied = await services.requests.getRequest(request.id);
    expect(denied.status).toBe('denied');
    expect(denied.reviews[0]?.reason).toBe('not <now>');
  });
});
