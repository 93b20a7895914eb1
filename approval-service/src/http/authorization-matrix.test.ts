import { randomBytes, scryptSync } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../app.js';
import { hashApiToken } from '../auth/secrets.js';
import { ManualClock, type ErrorBody } from '@clearance/client';
import type { ServiceConfig } from '../config/config-schema.js';
import { validateConfig } from '../config/load-config.js';
import { formToken, TestBrowser } from '../console/console-harness.case.js';
import { createMemoryStore } from '../store/memory-store.js';
import type { Store } from '../store/store.js';
import { createMemorySigner } from '../tokens/approval-signer.js';
import { withFingerprint } from './app-harness.case.js';

/**
 * Every API endpoint and console route against every kind of caller. Each cell runs in a fresh
 * service, so no cell depends on another, and checks the answer of the table below; it also
 * checks that a refused call changed no request and that an accepted change was saved.
 */

const callers = ['none', 'badToken', 'requester', 'otherApprover', 'approver', 'auditor'] as const;
type Caller = (typeof callers)[number];

/** Who each caller signs in as (API token `tok-<id>`, console password `<id>`). */
const users = {
  requester: { id: 'carol', groups: ['deployers'] },
  otherApprover: { id: 'dave', groups: ['sre'] },
  approver: { id: 'alice', groups: ['managers'] },
  auditor: { id: 'erin', groups: ['auditors'] },
} as const;

/**
 * An answer: the status; then for an API error its code (without `ERR_`), for a console
 * refusal the code its page names, or for a redirect its `Location` (`:pending`, `:approved`
 * and `:denied` stand for the ids of the cell's requests).
 */
type Answer = `${number}` | `${number} ${string}`;

const signedIn = (caller: Caller): caller is keyof typeof users => caller in users;
const toLogin = (path: string): Answer =>
  `303 /login?next=${encodeURIComponent(path).replace(/%3A(pending|approved|denied)/g, ':$1')}`;

// The requests live on acme/web/prod: rule "prod" (2 of managers, deployers may ask). The
// approver of another group (sre) approves under the default rule only. Auditors only read.
// POST /login: none posts without the sign-in form, badToken with a wrong password, the others
// with their own password.
// prettier-ignore
const table: [route: string, ...answers: Answer[]][] = [
  //                                          none                        badToken                    requester                   otherApprover               approver                    auditor
  ['GET /healthz',                            '200',                      '200',                      '200',                      '200',                      '200',                      '200'],
  ['GET /.well-known/jwks.json',              '200',                      '200',                      '200',                      '200',                      '200',                      '200'],
  ['POST /v1/requests',                       '401 UNAUTHENTICATED',      '401 UNAUTHENTICATED',      '201',                      '403 REQUESTER_NOT_ALLOWED','403 REQUESTER_NOT_ALLOWED','403 REQUESTER_NOT_ALLOWED'],
  ['GET /v1/requests',                        '401 UNAUTHENTICATED',      '401 UNAUTHENTICATED',      '200',                      '200',                      '200',                      '200'],
  ['GET /v1/requests/:pending',               '401 UNAUTHENTICATED',      '401 UNAUTHENTICATED',      '200',                      '200',                      '200',                      '200'],
  ['POST /v1/requests/:pending/reviews',      '401 UNAUTHENTICATED',      '401 UNAUTHENTICATED',      '403 SELF_REVIEW',          '403 NOT_ELIGIBLE',         '200',                      '403 NOT_ELIGIBLE'],
  ['POST /v1/requests/:approved/revoke',      '401 UNAUTHENTICATED',      '401 UNAUTHENTICATED',      '200',                      '403 FORBIDDEN',            '200',                      '403 FORBIDDEN'],
  ['POST /v1/requests/:denied/reopen',        '401 UNAUTHENTICATED',      '401 UNAUTHENTICATED',      '403 SELF_REVIEW',          '403 NOT_ELIGIBLE',         '200',                      '403 NOT_ELIGIBLE'],
  ['POST /v1/checks',                         '401 UNAUTHENTICATED',      '401 UNAUTHENTICATED',      '200',                      '200',                      '200',                      '200'],
  ['GET /v1/approvals?stack=acme/web/prod',   '401 UNAUTHENTICATED',      '401 UNAUTHENTICATED',      '200',                      '200',                      '200',                      '200'],
  ['POST /v1/runs',                           '401 UNAUTHENTICATED',      '401 UNAUTHENTICATED',      '204',                      '204',                      '204',                      '204'],
  ['GET /v1/audit',                           '401 UNAUTHENTICATED',      '401 UNAUTHENTICATED',      '403 FORBIDDEN',            '200',                      '200',                      '200'],
  ['GET /v1/nowhere',                         '401 UNAUTHENTICATED',      '401 UNAUTHENTICATED',      '404 NOT_FOUND',            '404 NOT_FOUND',            '404 NOT_FOUND',            '404 NOT_FOUND'],
  ['GET /console.css',                        '200',                      '200',                      '200',                      '200',                      '200',                      '200'],
  ['GET /login',                              '200',                      '200',                      '200',                      '200',                      '200',                      '200'],
  ['POST /login',                             '403',                      '401',                      '303 /',                    '303 /',                    '303 /',                    '303 /'],
  ['GET /logout',                             toLogin('/logout'),         toLogin('/logout'),         '200',                      '200',                      '200',                      '200'],
  ['POST /logout',                            '403',                      '403',                      '303 /login?bye=1',         '303 /login?bye=1',         '303 /login?bye=1',         '303 /login?bye=1'],
  ['GET /',                                   '303 /login',               '303 /login',               '200',                      '200',                      '200',                      '200'],
  ['GET /approvals',                          toLogin('/approvals'),      toLogin('/approvals'),      '200',                      '200',                      '200',                      '200'],
  ['GET /history',                            toLogin('/history'),        toLogin('/history'),        '200',                      '200',                      '200',                      '200'],
  ['GET /history?format=jsonl',               toLogin('/history?format=jsonl'), toLogin('/history?format=jsonl'), '200',          '200',                      '200',                      '200'],
  ['GET /audit',                              toLogin('/audit'),          toLogin('/audit'),          '403',                      '200',                      '200',                      '200'],
  ['GET /audit?format=jsonl',                 toLogin('/audit?format=jsonl'), toLogin('/audit?format=jsonl'), '403',              '200',                      '200',                      '200'],
  ['GET /requests/:pending',                  toLogin('/requests/:pending'), toLogin('/requests/:pending'), '200',                '200',                      '200',                      '200'],
  ['POST /requests/:pending/review',          '403',                      '403',                      '403 SELF_REVIEW',          '403 NOT_ELIGIBLE',         '303 /requests/:pending',   '403 NOT_ELIGIBLE'],
  ['POST /requests/:approved/revoke',         '403',                      '403',                      '303 /requests/:approved',  '403 FORBIDDEN',            '303 /requests/:approved',  '403 FORBIDDEN'],
  ['POST /requests/:denied/reopen',           '403',                      '403',                      '403 SELF_REVIEW',          '403 NOT_ELIGIBLE',         '303 /requests/:denied',    '403 NOT_ELIGIBLE'],
];

/** Routes whose success changes a stored request; every other cell must leave them as they were. */
const writes = new Set([
  'POST /v1/requests',
  'POST /v1/requests/:pending/reviews',
  'POST /v1/requests/:approved/revoke',
  'POST /v1/requests/:denied/reopen',
  'POST /v1/runs',
  'POST /requests/:pending/review',
  'POST /requests/:approved/revoke',
  'POST /requests/:denied/reopen',
]);

/** A cheap scrypt hash in the service's format (the cost is the config's business, not this test's). */
function quickPasswordHash(password: string): string {
  const salt = randomBytes(16);
  const hash = scryptSync(password, salt, 32, { N: 1024, r: 8, p: 1 });
  return `scrypt$1024$8$1$${salt.toString('base64url')}$${hash.toString('base64url')}`;
}

let config: ServiceConfig;

beforeAll(() => {
  const people = [...Object.values(users), { id: 'bob', groups: ['managers'] }];
  config = validateConfig(
    {
      publicUrl: 'http://console.test',
      auditorGroups: ['auditors'],
      users: people.map(({ id, groups }) => ({
        id,
        name: id,
        groups: [...groups],
        apiTokenSha256: hashApiToken(`tok-${id}`),
        passwordHash: quickPasswordHash(id),
      })),
      rules: [
        {
          name: 'prod',
          stacks: ['*/*/prod'],
          approvals: 2,
          approverGroups: ['managers'],
          requesterGroups: ['deployers'],
          maxDurationSeconds: 3600,
        },
      ],
      defaultRule: {
        approvals: 1,
        approverGroups: ['sre'],
        requesterGroups: ['deployers'],
        maxDurationSeconds: 3600,
      },
    },
    'authorization matrix config',
  );
});

const stack = 'acme/web/prod';

function change(name: string) {
  return withFingerprint({
    stack,
    urn: `urn:pulumi:prod::web::aws:ec2/securityGroup:SecurityGroup::${name}`,
    type: 'aws:ec2/securityGroup:SecurityGroup',
    policy: 'aws-security-group-open-ingress',
    summary: 'opens port 22 to 0.0.0.0/0',
    reason: 'incident 42',
    material: { ingress: [{ protocol: 'tcp', fromPort: 22, toPort: 22, cidr: '0.0.0.0/0' }] },
  });
}

interface World {
  store: Store;
  ids: Record<'pending' | 'approved' | 'denied', string>;
  app: ReturnType<typeof createApp>['app'];
}

/** A fresh service with carol's three requests: one pending, one approved (alice, bob), one denied (bob). */
async function world(): Promise<World> {
  const clock = new ManualClock('2026-01-05T09:00:00Z');
  const store = createMemoryStore();
  const signer = await createMemorySigner({ clock, maxTokenLifetimeSeconds: 3600 });
  const { app, services } = createApp({ store, signer, clock, config, log: () => undefined });
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

function withIds(text: string, ids: World['ids']): string {
  return text.replace(/:(pending|approved|denied)\b/g, (_, k: keyof World['ids']) => ids[k]);
}

/** The JSON body each API route is called with: valid, so only the caller decides the answer. */
function apiBody(route: string, w: World): unknown {
  if (route === 'POST /v1/requests') return change('new');
  if (route.endsWith('/reviews')) return { decision: 'approve', reason: 'looks right' };
  if (route.endsWith('/revoke') || route.endsWith('/reopen')) return { reason: 'done' };
  if (route === 'POST /v1/checks') {
    const { urn, policy, fingerprint } = change('a');
    return { stack, items: [{ urn, policy, fingerprint }] };
  }
  if (route === 'POST /v1/runs') {
    return { stack, run: { id: 'run-1', dryRun: false }, used: [w.ids.approved], blocked: [] };
  }
  return undefined;
}

/** The form fields each console POST sends, besides `_token`. */
function formFields(route: string, caller: Caller): Record<string, string> {
  if (route === 'POST /login') {
    const id = caller === 'badToken' || caller === 'none' ? 'carol' : users[caller].id;
    return { username: id, password: caller === 'badToken' ? 'wrong' : id };
  }
  if (route.endsWith('/review')) return { decision: 'approve', reason: 'looks right' };
  if (route.endsWith('/revoke') || route.endsWith('/reopen')) return { reason: 'done' };
  return {};
}

async function callApi(w: World, caller: Caller, route: string): Promise<Response> {
  const [method = '', path = ''] = route.split(' ');
  const headers: Record<string, string> = {};
  if (caller === 'badToken') headers.authorization = 'Bearer tok-forged';
  else if (signedIn(caller)) headers.authorization = `Bearer tok-${users[caller].id}`;
  const body = apiBody(route, w);
  if (body !== undefined) headers['content-type'] = 'application/json';
  return w.app.request(withIds(path, w.ids), {
    method,
    headers,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
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

const isApi = (route: string) => /^\w+ \/(v1\/|healthz|\.well-known\/)/.test(route);

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
