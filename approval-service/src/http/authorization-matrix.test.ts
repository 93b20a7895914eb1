import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ErrorBody } from '@clearance/client';
import type { ServiceConfig } from '../config/config-schema.js';
import { formToken, TestBrowser } from '../console/console-harness.case.js';
import type { Store } from '../store/store.js';
import { testApp, type TestApp } from '../testing/test-app.js';
import {
  type Answer,
  apiBody,
  type Caller,
  callers,
  change,
  formFields,
  isApi,
  routeTable as table,
  routeTableConfig,
  type RouteIds,
  signedIn,
  users,
  withIds,
  writes,
} from './route-table.case.js';

/**
 * Every API endpoint and console route against every kind of caller. Each cell runs in a fresh
 * service, so no cell depends on another, and checks the answer of the route table (shared
 * with the HTTP fuzzing: `route-table.case.ts`); it also checks that a refused call changed no
 * request and that an accepted change was saved.
 */

let config: ServiceConfig;

beforeAll(() => {
  config = routeTableConfig();
});

interface World {
  store: Store;
  ids: RouteIds;
  app: TestApp['app'];
}

/** A fresh service with carol's three requests: one pending, one approved (alice, bob), one denied (bob). */
async function world(): Promise<World> {
  const { app, services, store } = await testApp({ config });
  const actor = (id: string) => {
    const found = services.auth.authenticateToken(`tok-${id}`);
    if (!found) throw new Error(`no user ${id}`);
    return found;
  };
  const open = async (name: string) =>
    (await services.requests.createRequest(actor('carol'), change(name))).request.id;
  const [pending, approved, denied] = [await open('a'), await open('b'), await open('c')];
  await services.requests.review(actor('alice'), approved, { decision: 'approve', reason: 'ok' });
  await services.requests.review(actor('bob'), approved, { decision: 'approve', reason: 'ok' });
  await services.requests.review(actor('bob'), denied, { decision: 'deny', reason: 'no' });
  return { app, store, ids: { pending, approved, denied } };
}

async function callApi(w: World, caller: Caller, route: string): Promise<Response> {
  const [method = '', path = ''] = route.split(' ');
  const headers: Record<string, string> = {};
  if (caller === 'badToken') headers.authorization = 'Bearer tok-forged';
  else if (signedIn(caller)) headers.authorization = `Bearer tok-${users[caller].id}`;
  const body = apiBody(route, w.ids);
  if (body !== undefined) headers['content-type'] = 'application/json';
  return w.app.request(withIds(path, w.ids), {
    method,
    headers,
    body: body === undefined ? null : JSON.stringify(body),
  });
}

async function callConsole(w: World, caller: Caller, route: string): Promise<Response> {
  const [method = '', path = ''] = route.split(' ');
  const browser = new TestBrowser(w.app);
  let token: string | undefined;
  if (route === 'POST /login') {
    if (caller === 'none') return browser.post('/login', formFields(route, caller));
    return browser.submit('/login', '/login', formFields(route, caller));
  }
  if (caller === 'badToken') {
    browser.cookies.set('clearance-session', randomBytes(32).toString('base64url'));
    token = randomBytes(32).toString('base64url');
  } else if (signedIn(caller)) {
    const { id } = users[caller];
    expect((await browser.login(id)).status).toBe(303);
    token = formToken(await (await browser.get('/')).text());
  }
  const url = withIds(path, w.ids);
  if (method === 'GET') return browser.get(url);
  const fields = formFields(route, caller);
  return browser.post(url, token === undefined ? fields : { _token: token, ...fields });
}

const cells = table.flatMap(([route, ...answers]) =>
  callers.map((caller, i) => ({ route, caller, answer: answers[i] ?? ('?' as Answer) })),
);

describe('authorization matrix', () => {
  it('has one answer per caller and a row for every route the app serves', async () => {
    for (const [route, ...answers] of table) expect(answers, route).toHaveLength(callers.length);
    const { app } = await world();
    const served = new Set(
      app.routes.filter((r) => r.method !== 'ALL').map((r) => `${r.method} ${r.path}`),
    );
    const inTable = new Set(
      table
        .map(([route]) => route.split('?')[0] ?? '')
        .map((route) => route.replace(/:(pending|approved|denied)\b/g, ':id'))
        .filter((route) => route !== 'GET /v1/nowhere'),
    );
    expect([...inTable].sort()).toEqual([...served].sort());
  });

  it.each(cells)('$route as $caller: $answer', async ({ route, caller, answer }) => {
    const w = await world();
    const before = await w.store.listRequests();
    const res = isApi(route)
      ? await callApi(w, caller, route)
      : await callConsole(w, caller, route);
    const [status = '', detail] = answer.split(' ');
    expect(res.status).toBe(Number(status));
    const body = await res.text();
    if (res.status >= 300 && res.status < 400) {
      expect(res.headers.get('location')).toBe(withIds(detail ?? '', w.ids));
    } else if (detail !== undefined && isApi(route)) {
      expect((JSON.parse(body) as ErrorBody).error.code).toBe(`ERR_${detail}`);
    } else if (detail !== undefined) {
      expect(body).toContain(`Refused (ERR_${detail})`);
    }
    const after = await w.store.listRequests();
    const accepted = res.status < 300 || (res.status === 303 && !detail?.startsWith('/login'));
    if (writes.has(route) && accepted) expect(after).not.toEqual(before);
    else expect(after).toEqual(before);
  });
});
