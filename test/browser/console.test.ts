import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClearanceClient } from '@clearance/client';
import {
  launchChromium,
  login,
  startDemoServer,
  submitForgedForm,
  type DemoServer,
} from './console-fixture.js';
import { vendorTrustRequest } from './demo-requests.js';

let browser: Browser;
let demo: DemoServer;
let base: string;
const contexts: BrowserContext[] = [];

async function newPage(options: BrowserContextOptions = {}) {
  const context = await browser.newContext(options);
  contexts.push(context);
  return context.newPage();
}

/** A browser with JavaScript switched off: the console must work without it. */
const noScript = { javaScriptEnabled: false };

beforeAll(async () => {
  [browser, demo] = await Promise.all([launchChromium(), startDemoServer()]);
  base = demo.server.url;
});

afterAll(async () => {
  for (const context of contexts) await context.close();
  await browser?.close();
  await demo?.close();
});

/**
 * The main pages with content in every form: the login page, then (signed in as bob) the
 * pending list, a request bob may decide, an active approval he may revoke, history and audit.
 */
async function mainPages(): Promise<string[]> {
  const approved = await demo.openRequest();
  for (const token of ['demo-alice', 'demo-bob']) {
    await new ClearanceClient({ url: base, token }).review(approved.id, {
      decision: 'approve',
      reason: 'ok',
      durationSeconds: 1800,
    });
  }
  // Long values (ARNs, property paths) and a redacted secret, as the pack sends them.
  const pending = await demo.openRequest(
    vendorTrustRequest({ reason: 'Vendor needs a one-off export', durationSeconds: 1800 }),
  );
  return ['/login', '/', `/requests/${pending.id}`, '/approvals', '/history', '/audit'];
}

// Browser-side checks, passed as text (this build has no DOM types).

/** Visible fields without a non-empty <label>, and buttons without text. */
const unlabelled = `[...document.querySelectorAll('input:not([type=hidden]), select, textarea, button')]
  .filter((el) => el.tagName === 'BUTTON'
    ? el.textContent.trim() === ''
    : ![...(el.labels ?? [])].some((label) => label.textContent.trim() !== ''))
  .map((el) => el.outerHTML)`;

/** Elements wider than their box: the page itself or a scrolling table. */
const overflowing = `[document.documentElement, ...document.querySelectorAll('.table-wrap')]
  .filter((el) => el.scrollWidth > el.clientWidth + 1)
  .map((el) => (el.querySelector('caption')?.textContent ?? el.tagName) + ': ' + el.scrollWidth + ' > ' + el.clientWidth)`;

const focusableSelector = 'a[href], button, input:not([type=hidden]), select, textarea';

/** The elements the keyboard should reach: those rendered (a `display: none` bar is not). */
const focusables = `[...document.querySelectorAll('${focusableSelector}')].filter((el) => el.checkVisibility())`;

/** How many elements the keyboard should reach. */
const focusableCount = `${focusables}.length`;

/** The focused element (its place among the focusable ones) and its outline. */
const focusedOutline = `(() => {
  const el = document.activeElement;
  if (!el || el === document.body) return undefined;
  const style = getComputedStyle(el);
  return {
    index: ${focusables}.indexOf(el),
    what: el.outerHTML.slice(0, 80),
    outline: style.outlineStyle + ' ' + style.outlineWidth,
  };
})()`;

/**
 * Tabs through the page once, noting every element reached and its focus outline. A date
 * field takes several Tabs (one per part), so staying on one element does not end the round.
 */
async function tabThrough(page: Page) {
  const focusable = (await page.evaluate(focusableCount)) as number;
  const reached: { index: number; what: string; outline: string }[] = [];
  for (let i = 0; i < focusable * 6; i++) {
    await page.keyboard.press('Tab');
    const el = (await page.evaluate(focusedOutline)) as (typeof reached)[number] | undefined;
    if (el && el.index === reached.at(-1)?.index) continue;
    if (!el || reached.some((r) => r.index === el.index)) break;
    reached.push(el);
  }
  return { reached, focusable };
}

describe('approver console in a browser', { timeout: 60_000 }, () => {
  it('takes a request through two approvals, and the requester sees it approved (no JavaScript)', async () => {
    const request = await demo.openRequest();
    const alice = await newPage(noScript);
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

    const bob = await newPage(noScript);
    await login(bob, base, 'bob');
    await bob.goto(`${base}/requests/${request.id}`);
    await bob.getByRole('button', { name: 'Approve' }).click();
    await expect(bob.locator('h1 .badge').textContent()).resolves.toBe('approved');
    const approved = await bob.locator('main').textContent();
    expect(approved).toContain('2 of 2 managers');
    expect(approved).toMatch(
      /Approval ends\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC \(in 29 min|Approval ends\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC \(in 30 min/,
    );

    const carol = await newPage(noScript);
    await login(carol, base, 'carol');
    await carol.goto(`${base}/requests/${request.id}`);
    await expect(carol.locator('h1 .badge').textContent()).resolves.toBe('approved');
    expect(await carol.locator('main').textContent()).toContain('2 of 2 managers');
    // The pages above really ran without script: a page script in the same browser does not run.
    const probe = await carol.context().newPage();
    await probe.setContent('<title>before</title><script>document.title = "ran"</script>');
    expect(await probe.title()).toBe('before');
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
    expect((await demo.server.services.requests.getRequest(request.id)).reviews).toEqual([]);
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
    expect((await demo.server.services.requests.getRequest(request.id)).reviews).toEqual([]);
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

  it('labels every field and shows a visible focus outline on everything the keyboard reaches', async () => {
    const paths = await mainPages();
    const page = await newPage();
    for (const [i, path] of paths.entries()) {
      if (i === 1) await login(page, base, 'bob');
      await page.goto(`${base}${path}`);
      expect(new URL(page.url()).pathname, path).toBe(new URL(path, base).pathname);
      expect(await page.evaluate(unlabelled), `fields without a label on ${path}`).toEqual([]);
      const { reached, focusable } = await tabThrough(page);
      expect(reached.length, `elements reached by Tab on ${path}`).toBe(focusable);
      for (const el of reached) {
        expect(el.outline, `focus outline of ${el.what} on ${path}`).toMatch(/^solid [23]px$/);
      }
    }
  });

  it('fits a phone screen: no page needs sideways scrolling', async () => {
    const paths = await mainPages();
    const page = await newPage({ viewport: { width: 390, height: 844 } });
    for (const [i, path] of paths.entries()) {
      if (i === 1) await login(page, base, 'bob');
      await page.goto(`${base}${path}`);
      expect(await page.evaluate(overflowing), `too wide on ${path}`).toEqual([]);
    }
  });

  it('on a phone, keeps the decision in reach: a bar at the top that stays while scrolling and leads to it', async () => {
    const request = await demo.openRequest(vendorTrustRequest({ reason: 'One-off export' }));
    const phone = { width: 390, height: 844 };
    const page = await newPage({ ...noScript, viewport: phone });
    await login(page, base, 'bob');
    await page.goto(`${base}/requests/${request.id}`);
    const bar = page.getByRole('navigation', { name: 'Decision' });
    const approve = page.getByRole('button', { name: 'Approve' });
    const top = async (locator: typeof bar) => (await locator.boundingBox())?.y ?? -1;
    // Without the bar the decision is screens away.
    expect(await top(approve)).toBeGreaterThan(phone.height);
    expect(await top(bar)).toBeGreaterThanOrEqual(0);
    expect(await top(bar)).toBeLessThan(phone.height / 3);
    await page.mouse.wheel(0, 1200);
    await expect.poll(() => page.evaluate('window.scrollY')).toBeGreaterThan(600);
    expect(await top(bar)).toBe(0);
    await bar.getByRole('link', { name: 'Approve or deny' }).click();
    const barBottom = (await bar.boundingBox())?.height ?? phone.height;
    const at = await top(approve);
    expect(at).toBeGreaterThan(barBottom);
    expect(at).toBeLessThan(phone.height);

    const laptop = await newPage({ ...noScript, viewport: { width: 1280, height: 800 } });
    await login(laptop, base, 'bob');
    await laptop.goto(`${base}/requests/${request.id}`);
    expect(await laptop.getByRole('navigation', { name: 'Decision' }).isVisible()).toBe(false);
    expect(await top(laptop.getByRole('button', { name: 'Approve' }))).toBeLessThan(800);
  });

  it('limits failed logins only: the right password still signs in after them', async () => {
    const own = await startDemoServer();
    try {
      const page = await newPage();
      for (let i = 0; i < 5; i++) {
        await login(page, own.server.url, 'bob', 'wrong');
        await expect(page.getByRole('alert').textContent()).resolves.toContain(
          'Unknown user name or wrong password.',
        );
      }
      await login(page, own.server.url, 'bob');
      expect(new URL(page.url()).pathname).toBe('/');
      expect((await page.context().cookies()).some((c) => c.name === 'clearance-session')).toBe(
        true,
      );
    } finally {
      await own.close();
    }
  });
});
