import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  launchChromium,
  login,
  startDemoServer,
  submitForgedForm,
  type DemoServer,
} from './console-fixture.js';

let browser: Browser;
let demo: DemoServer;
let base: string;
const contexts: BrowserContext[] = [];

async function newPage() {
  const context = await browser.newContext();
  contexts.push(context);
  return context.newPage();
}

beforeAll(async () => {
  [browser, demo] = await Promise.all([launchChromium(), startDemoServer()]);
  base = demo.server.url;
});

afterAll(async () => {
  for (const context of contexts) await context.close();
  await browser?.close();
  await demo?.close();
});

describe('approver console in a browser', { timeout: 60_000 }, () => {
  it('takes a request through two approvals, and the requester sees it approved', async () => {
    const request = await demo.openRequest();
    const alice = await newPage();
    await login(alice, base, 'alice');
    const item = alice
      .getByRole('listitem')
      .filter({ hasText: 'web-sg' })
      .filter({ has: alice.locator(`a[href="/requests/${request.id}"]`) });
    await expect(item.textContent()).resolves.toContain('0 of 2 managers');
    await item.getByRole('link').click();
    await alice.getByLabel('Reason (optional)').fill('Short hotfix, watched');
    await alice.getByRole('button', { name: 'Approve' }).click();
    const afterFirst = await alice.locator('main').textContent();
    expect(afterFirst).toContain('1 of 2 managers');
    expect(afterFirst).toContain('You cannot decide this request:');

    const bob = await newPage();
    await login(bob, base, 'bob');
    await bob.goto(`${base}/requests/${request.id}`);
    await bob.getByRole('button', { name: 'Approve' }).click();
    await expect(bob.locator('h1 .badge').textContent()).resolves.toBe('approved');
    const approved = await bob.locator('main').textContent();
    expect(approved).toContain('2 of 2 managers');
    expect(approved).toMatch(
      /Approval ends\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC \(in 29 min|Approval ends\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC \(in 30 min/,
    );

    const carol = await newPage();
    await login(carol, base, 'carol');
    await carol.goto(`${base}/requests/${request.id}`);
    await expect(carol.locator('h1 .badge').textContent()).resolves.toBe('approved');
  });

  it('offers the requester no decision, and refuses a forced POST', async () => {
    const request = await demo.openRequest();
    const carol = await newPage();
    await login(carol, base, 'carol');
    await carol.goto(`${base}/requests/${request.id}`);
    expect(await carol.getByRole('button', { name: 'Approve' }).count()).toBe(0);
    expect(await carol.locator('main').textContent()).toContain(
      'you opened this request; someone else must decide it',
    );
    const token = await carol.locator('input[name="_token"]').first().inputValue();
    await submitForgedForm(carol, `/requests/${request.id}/review`, {
      _token: token,
      decision: 'approve',
      durationSeconds: '1800',
    });
    await expect(carol.getByRole('alert').textContent()).resolves.toContain(
      'Refused (ERR_SELF_REVIEW)',
    );
    expect((await demo.server.service.getRequest(request.id)).reviews).toEqual([]);
  });

  it('refuses a POST without the form token, and one from a foreign origin', async () => {
    const request = await demo.openRequest();
    const alice = await newPage();
    await login(alice, base, 'alice');
    await alice.goto(`${base}/requests/${request.id}`);
    const token = await alice.locator('input[name="_token"]').first().inputValue();

    await submitForgedForm(alice, `/requests/${request.id}/review`, { decision: 'approve' });
    await expect(alice.getByRole('alert').textContent()).resolves.toContain(
      'did not come from this console',
    );

    // Another origin (same host, other port) serves a form aimed at the console.
    const attacker: Server = createServer((_req, res) => {
      res.setHeader('content-type', 'text/html');
      res.end(
        `<form method="post" action="${base}/requests/${request.id}/review">` +
          `<input name="_token" value="${token}"><input name="decision" value="approve">` +
          `<button>Win a prize</button></form>`,
      );
    });
    await new Promise<void>((resolve) => attacker.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = attacker.address() as AddressInfo;
      await alice.goto(`http://127.0.0.1:${port}/`);
      await alice.getByRole('button', { name: 'Win a prize' }).click();
      await alice.waitForURL(`${base}/requests/${request.id}/review`);
      expect(await alice.locator('main').textContent()).toContain(
        'not sent from a page of this console',
      );
    } finally {
      await new Promise<void>((resolve) => attacker.close(() => resolve()));
    }
    expect((await demo.server.service.getRequest(request.id)).reviews).toEqual([]);
  });

  it('shows a reason containing <script> as text', async () => {
    const reason = '<script>window.__pwned = true</script> please';
    const request = await demo.openRequest({ reason });
    const bob = await newPage();
    await login(bob, base, 'bob');
    await bob.goto(`${base}/requests/${request.id}`);
    const section = bob.getByRole('region', { name: 'Requester’s reason' });
    await expect(section.locator('p').textContent()).resolves.toBe(reason);
    expect(await bob.evaluate('window.__pwned')).toBeUndefined();
  });

  it('ends the session on logout: the old cookie opens nothing', async () => {
    const page = await newPage();
    await login(page, base, 'alice');
    const cookies = await page.context().cookies();
    expect(cookies.find((c) => c.name === 'clearance-session')).toMatchObject({
      httpOnly: true,
      sameSite: 'Strict',
    });
    await page.getByRole('button', { name: 'Log out' }).click();
    await expect(page.getByRole('status').textContent()).resolves.toContain('You have signed out.');
    await page.goto(`${base}/approvals`);
    expect(new URL(page.url()).pathname).toBe('/login');

    const replay = await browser.newContext();
    contexts.push(replay);
    await replay.addCookies(cookies);
    const again = await replay.newPage();
    await again.goto(`${base}/`);
    expect(new URL(again.url()).pathname).toBe('/login');
  });

  it('can be used with the keyboard alone', async () => {
    const page = await newPage();
    await page.goto(`${base}/login`);
    await page.keyboard.press('Tab');
    await expect(page.locator(':focus').textContent()).resolves.toBe('Skip to content');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await expect(page.locator(':focus').getAttribute('id')).resolves.toBe('username');
    await page.keyboard.type('bob');
    await page.keyboard.press('Tab');
    await page.keyboard.type('bob');
    await page.keyboard.press('Enter');
    await page.waitForURL(`${base}/`);
    await expect(page.locator('h1').textContent()).resolves.toBe('Pending requests');
  });

  it('refuses a login after the rate limit, even with the right password', async () => {
    const own = await startDemoServer();
    try {
      const page = await newPage();
      for (let i = 0; i < 5; i++) {
        await login(page, own.server.url, 'bob', 'wrong');
        await expect(page.getByRole('alert').textContent()).resolves.toBe(
          'Unknown user name or wrong password.',
        );
      }
      await login(page, own.server.url, 'bob');
      await expect(page.getByRole('alert').textContent()).resolves.toContain(
        'Too many failed sign-ins',
      );
      expect(new URL(page.url()).pathname).toBe('/login');
      expect((await page.context().cookies()).some((c) => c.name === 'clearance-session')).toBe(
        false,
      );
    } finally {
      await own.close();
    }
  });
});
