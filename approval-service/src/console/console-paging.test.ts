import type { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import type { CreateRequestBody, RequestView } from '@clearance/client';
import { actors, consoleHarness, TestBrowser } from './console-harness.case.js';

async function loggedIn(app: Hono, user: string) {
  const browser = new TestBrowser(app);
  expect((await browser.login(user)).status).toBe(303);
  return browser;
}

/** The href of the page's link with this text, unescaped; undefined when it has none. */
function linkHref(html: string, text: string): string | undefined {
  const m = new RegExp(`<a href="([^"]*)"[^>]*>${text}</a>`).exec(html);
  return m?.[1]?.replaceAll('&amp;', '&');
}

/** The ids of `requests` that the page shows, in the order it shows them. */
function shownIds(html: string, requests: RequestView[]): string[] {
  return requests
    .filter((r) => html.includes(`/requests/${r.id}"`))
    .sort((a, b) => html.indexOf(`/requests/${a.id}"`) - html.indexOf(`/requests/${b.id}"`))
    .map((r) => r.id);
}

const devStack = { stack: 'acme/shop/dev' };
const bucketPolicy = {
  urn: 'urn:pulumi:prod::shop::aws:s3/bucketAcl:BucketAcl::assets-acl',
  type: 'aws:s3/bucketAcl:BucketAcl',
  policy: 'aws-s3-public-access',
  summary: 'canned ACL public-read',
};

/** Opens `count` requests a second apart, oldest first, each `overrides(n)`; answers them newest first. */
async function openMany(
  h: Awaited<ReturnType<typeof consoleHarness>>,
  count: number,
  overrides: (n: number) => Partial<CreateRequestBody> = () => ({}),
): Promise<RequestView[]> {
  const opened: RequestView[] = [];
  for (let n = 0; n < count; n++) {
    opened.push(await h.openRequest({ ...overrides(n), material: { n } }));
    h.clock.advanceSeconds(1);
  }
  return opened.reverse();
}

describe('console lists a page at a time', () => {
  it('shows the newest 50 of the history and reaches the next ones through "Older requests"', async () => {
    const h = await consoleHarness();
    const newestFirst = await openMany(h, 53);
    const alice = await loggedIn(h.app, 'alice');
    const first = await (await alice.get('/history')).text();
    expect(shownIds(first, newestFirst)).toEqual(newestFirst.slice(0, 50).map((r) => r.id));
    expect(linkHref(first, 'Newest')).toBeUndefined();
    const older = linkHref(first, 'Older requests');
    expect(older).toBe('/history?from=50');
    const second = await (await alice.get(older!)).text();
    expect(shownIds(second, newestFirst)).toEqual(newestFirst.slice(50).map((r) => r.id));
    expect(linkHref(second, 'Older requests')).toBeUndefined();
    expect(linkHref(second, 'Newest')).toBe('/history');
    expect(second).toContain(`<option value="${newestFirst[0]!.stack}">`);
  });

  it('keeps the filters of the history across its pages', async () => {
    const h = await consoleHarness();
    // 52 on the dev stack, with 3 on the prod stack among them.
    const all = await openMany(h, 55, (n) => (n % 20 === 10 ? {} : devStack));
    const dev = all.filter((r) => r.stack === devStack.stack);
    await h.services.requests.review(actors.bob, dev[0]!.id, { decision: 'deny', reason: 'no' });
    const alice = await loggedIn(h.app, 'alice');
    const first = await (await alice.get('/history?stack=acme%2Fshop%2Fdev&status=pending')).text();
    expect(shownIds(first, all)).toEqual(dev.slice(1, 51).map((r) => r.id));
    const older = linkHref(first, 'Older requests');
    expect(older).toBe('/history?stack=acme%2Fshop%2Fdev&status=pending&from=50');
    const second = await (await alice.get(older!)).text();
    expect(shownIds(second, all)).toEqual(dev.slice(51).map((r) => r.id));
    expect(second).toContain('<option value="pending" selected="">pending</option>');
    expect(linkHref(second, 'Newest')).toBe('/history?stack=acme%2Fshop%2Fdev&status=pending');
    expect(linkHref(second, 'Export these requests as JSON Lines')).toBe(
      '/history?stack=acme%2Fshop%2Fdev&status=pending&format=jsonl',
    );
  });

  it('exports every matching request as JSON Lines, not one page', async () => {
    const h = await consoleHarness();
    const all = await openMany(h, 1003, (n) => (n % 2 === 0 ? devStack : {}));
    const alice = await loggedIn(h.app, 'alice');
    const every = await (await alice.get('/history?format=jsonl&from=50')).text();
    const ids = every
      .trim()
      .split('\n')
      .map((line) => (JSON.parse(line) as RequestView).id);
    expect(ids).toEqual(all.map((r) => r.id));
    const dev = await (await alice.get('/history?format=jsonl&stack=acme%2Fshop%2Fdev')).text();
    expect(dev.trim().split('\n')).toHaveLength(502);
  });

  it('pages pending requests with their filters, leaving out those whose time ran out', async () => {
    const h = await consoleHarness();
    // Pending past its time (24 h) but not yet swept: expired now, never on the pending page.
    const lapsed = await h.openRequest({ ...devStack, ...bucketPolicy });
    h.clock.advanceSeconds(86_400);
    const all = await openMany(h, 53, (n) =>
      n === 20 ? bucketPolicy : { ...devStack, ...bucketPolicy },
    );
    const matching = all.filter((r) => r.stack === devStack.stack);
    const alice = await loggedIn(h.app, 'alice');
    const query = 'stack=acme%2Fshop%2Fdev&policy=aws-s3-public-access';
    const first = await (await alice.get(`/?${query}`)).text();
    expect(shownIds(first, all)).toEqual(matching.slice(0, 50).map((r) => r.id));
    const older = linkHref(first, 'Older requests');
    expect(older).toBe(`/?${query}&from=50`);
    const second = await (await alice.get(older!)).text();
    expect(shownIds(second, all)).toEqual(matching.slice(50).map((r) => r.id));
    expect(second).not.toContain(lapsed.id);
    expect(linkHref(second, 'Older requests')).toBeUndefined();
    expect(linkHref(second, 'Newest')).toBe(`/?${query}`);
    const unfiltered = await (await alice.get('/?from=50')).text();
    expect(shownIds(unfiltered, all)).toEqual(all.slice(50).map((r) => r.id));
    expect(linkHref(unfiltered, 'Older requests')).toBeUndefined();
  });

  it('refuses a page start that is not a non-negative whole number', async () => {
    const h = await consoleHarness();
    const alice = await loggedIn(h.app, 'alice');
    for (const path of ['/history', '/']) {
      for (const from of ['-1', '1.5', 'abc', '', '1e3', '0x10', '9999999999999999']) {
        const res = await alice.get(`${path}?from=${encodeURIComponent(from)}`);
        expect(res.status, `${path} from=${from}`).toBe(400);
        expect(await res.text()).toBe('Bad filter');
      }
      expect((await alice.get(`${path}?from=0`)).status).toBe(200);
      expect((await alice.get(`${path}?from=7`)).status).toBe(200);
    }
  });

  it('offers every stack and policy of the store in the filters, whatever the page shows', async () => {
    const h = await consoleHarness();
    const denied = await h.openRequest({ ...devStack, ...bucketPolicy });
    await h.services.requests.review(actors.bob, denied.id, { decision: 'deny', reason: 'no' });
    await h.openRequest();
    const alice = await loggedIn(h.app, 'alice');
    const options = (html: string) =>
      [...html.matchAll(/<option value="([^"]+)"/g)].map((m) => m[1]);
    for (const path of ['/history?status=pending', '/', '/?stack=acme%2Fshop%2Fprod']) {
      const html = await (await alice.get(path)).text();
      expect(html, path).not.toContain(denied.id);
      expect(options(html), path).toEqual(
        expect.arrayContaining([
          'acme/shop/dev',
          'acme/shop/prod',
          'aws-s3-public-access',
          'aws-security-group-open-ingress',
        ]),
      );
    }
    const other = await (await alice.get('/history?stack=acme%2Fshop%2Fother')).text();
    expect(other).toContain('<option value="acme/shop/other" selected="">acme/shop/other</option>');
  });
});
