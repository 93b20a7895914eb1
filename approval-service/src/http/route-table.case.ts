import { randomBytes, scryptSync } from 'node:crypto';
import { hashApiToken } from '../auth/secrets.js';
import type { ServiceConfig } from '../config/config-schema.js';
import { validateConfig } from '../config/load-config.js';
import { withFingerprint } from './app-harness.case.js';

/**
 * Every route the service serves, API and console, with the answer each kind of caller gets:
 * the table of the authorization matrix, shared with the HTTP fuzzing (which sends odd input
 * to the same routes). Routes name the requests they act on `:pending`, `:approved` and
 * `:denied`; a test fills in the ids of its own.
 */

export const callers = [
  'none',
  'badToken',
  'requester',
  'otherApprover',
  'approver',
  'auditor',
] as const;
export type Caller = (typeof callers)[number];

/**
 * An answer: the status; then for an API error its code (without `ERR_`), for a console
 * refusal the code its page names, or for a redirect its `Location` (`:pending`, `:approved`
 * and `:denied` stand for the ids of the cell's requests).
 */
export type Answer = `${number}` | `${number} ${string}`;

/** Who each signed-in caller is (API token `tok-<id>`, console password `<id>`). */
export const users = {
  requester: { id: 'carol', groups: ['deployers'] },
  otherApprover: { id: 'dave', groups: ['sre'] },
  approver: { id: 'alice', groups: ['managers'] },
  auditor: { id: 'erin', groups: ['auditors'] },
} as const;

export const signedIn = (caller: Caller): caller is keyof typeof users => caller in users;

/** The ids the routes' `:pending`, `:approved` and `:denied` stand for. */
export type RouteIds = Record<'pending' | 'approved' | 'denied', string>;

export function withIds(text: string, ids: RouteIds): string {
  return text.replace(/:(pending|approved|denied)\b/g, (_, k: keyof RouteIds) => ids[k]);
}

const toLogin = (path: string): Answer =>
  `303 /login?next=${encodeURIComponent(path).replace(/%3A(pending|approved|denied)/g, ':$1')}`;

// The requests live on acme/web/prod (see `routeTableConfig`).
// POST /login: none posts without the sign-in form, badToken with a wrong password, the others
// with their own password.
// prettier-ignore
export const routeTable: [route: string, ...answers: Answer[]][] = [
  //                                          none                        badToken                    requester                   otherApprover               approver                    auditor
  ['GET /healthz',                            '200',                      '200',                      '200',                      '200',                      '200',                      '200'],
  ['GET /.well-known/jwks.json',              '200',                      '200',                      '200',                      '200',                      '200',                      '200'],
  ['POST /v1/requests',                       '401 UNAUTHENTICATED',      '401 UNAUTHENTICATED',      '201',                      '403 REQUESTER_NOT_ALLOWED','403 REQUESTER_NOT_ALLOWED','403 REQUESTER_NOT_ALLOWED'],
  ['GET /v1/requests',                        '401 UNAUTHENTICATED',      '401 UNAUTHENTICATED',      '200',                      '200',                      '200',                      '200'],
  ['GET /v1/requests/:pending',               '401 UNAUTHENTICATED',      '401 UNAUTHENTICATED',      '200',                      '200',                      '200',                      '200'],
  ['POST /v1/requests/:pending/reviews',      '401 UNAUTHENTICATED',      '401 UNAUTHENTICATED',      '403 SELF_REVIEW',          '403 NOT_ELIGIBLE',         '200',                      '403 NOT_ELIGIBLE'],
  ['POST /v1/requests/:approved/revoke',      '401 UNAUTHENTICATED',      '401 UNAUTHENTICATED',      '200',                      '403 FORBIDDEN',            '200',                      '403 FORBIDDEN'],
  ['POST /v1/requests/:denied/reopen',        '401 UNAUTHENTICATED',      '401 UNAUTHENTICATED',      '403 SELF_REVIEW',          '403 NOT_ELIGIBLE',         '200',                      '403 NOT_ELIGIBLE'],
  ['POST /v1/requests/:pending/break-glass', '401 UNAUTHENTICATED',    '401 UNAUTHENTICATED',      '403 BREAK_GLASS_NOT_ALLOWED', '403 BREAK_GLASS_NOT_ALLOWED', '403 BREAK_GLASS_NOT_ALLOWED', '403 BREAK_GLASS_NOT_ALLOWED'],
  ['POST /v1/requests/:approved/break-glass/review', '401 UNAUTHENTICATED', '401 UNAUTHENTICATED', '409 CONFLICT',           '409 CONFLICT',             '409 CONFLICT',             '409 CONFLICT'],
  ['GET /v1/break-glass',                     '401 UNAUTHENTICATED',      '401 UNAUTHENTICATED',      '200',                      '200',                      '200',                      '200'],
  ['POST /v1/checks',                         '401 UNAUTHENTICATED',      '401 UNAUTHENTICATED',      '200',                      '200',                      '200',                      '200'],
  ['GET /v1/approvals?stack=acme/web/prod',   '401 UNAUTHENTICATED',      '401 UNAUTHENTICATED',      '200',                      '200',                      '200',                      '200'],
  ['POST /v1/runs',                           '401 UNAUTHENTICATED',      '401 UNAUTHENTICATED',      '204',                      '403 REQUESTER_NOT_ALLOWED','403 REQUESTER_NOT_ALLOWED','403 REQUESTER_NOT_ALLOWED'],
  ['GET /v1/audit',                           '401 UNAUTHENTICATED',      '401 UNAUTHENTICATED',      '403 FORBIDDEN',            '200',                      '200',                      '200'],
  ['GET /v1/audit/export',                    '401 UNAUTHENTICATED',      '401 UNAUTHENTICATED',      '403 FORBIDDEN',            '200',                      '200',                      '200'],
  ['GET /v1/nowhere',                         '401 UNAUTHENTICATED',      '401 UNAUTHENTICATED',      '404 NOT_FOUND',            '404 NOT_FOUND',            '404 NOT_FOUND',            '404 NOT_FOUND'],
  ['GET /console.css',                        '200',                      '200',                      '200',                      '200',                      '200',                      '200'],
  ['GET /login',                              '200',                      '200',                      '200',                      '200',                      '200',                      '200'],
  ['POST /login',                             '403',                      '401',                      '303 /',                    '303 /',                    '303 /',                    '303 /'],
  ['GET /logout',                             toLogin('/logout'),         toLogin('/logout'),         '200',                      '200',                      '200',                      '200'],
  ['POST /logout',                            '403',                      '403',                      '303 /login?bye=1',         '303 /login?bye=1',         '303 /login?bye=1',         '303 /login?bye=1'],
  ['GET /',                                   '303 /login',               '303 /login',               '200',                      '200',                      '200',                      '200'],
  ['GET /approvals',                          toLogin('/approvals'),      toLogin('/approvals'),      '200',                      '200',                      '200',                      '200'],
  ['GET /needs-review',                       toLogin('/needs-review'),   toLogin('/needs-review'),   '200',                      '200',                      '200',                      '200'],
  ['GET /history',                            toLogin('/history'),        toLogin('/history'),        '200',                      '200',                      '200',                      '200'],
  ['GET /history?format=jsonl',               toLogin('/history?format=jsonl'), toLogin('/history?format=jsonl'), '200',          '200',                      '200',                      '200'],
  ['GET /audit',                              toLogin('/audit'),          toLogin('/audit'),          '403',                      '200',                      '200',                      '200'],
  ['GET /audit?format=jsonl',                 toLogin('/audit?format=jsonl'), toLogin('/audit?format=jsonl'), '403',              '200',                      '200',                      '200'],
  ['GET /audit/export',                       toLogin('/audit/export'),   toLogin('/audit/export'),   '403',                      '200',                      '200',                      '200'],
  ['GET /settings',                           toLogin('/settings'),       toLogin('/settings'),       '200',                      '200',                      '200',                      '200'],
  ['POST /settings',                          '403',                      '403',                      '303 /settings',            '303 /settings',            '303 /settings',            '303 /settings'],
  ['GET /requests/:pending',                  toLogin('/requests/:pending'), toLogin('/requests/:pending'), '200',                '200',                      '200',                      '200'],
  ['POST /requests/:pending/review',          '403',                      '403',                      '403 SELF_REVIEW',          '403 NOT_ELIGIBLE',         '303 /requests/:pending',   '403 NOT_ELIGIBLE'],
  ['POST /requests/:approved/revoke',         '403',                      '403',                      '303 /requests/:approved',  '403 FORBIDDEN',            '303 /requests/:approved',  '403 FORBIDDEN'],
  ['POST /requests/:denied/reopen',           '403',                      '403',                      '403 SELF_REVIEW',          '403 NOT_ELIGIBLE',         '303 /requests/:denied',    '403 NOT_ELIGIBLE'],
  ['POST /requests/:pending/break-glass',     '403',                      '403',                      '403 BREAK_GLASS_NOT_ALLOWED', '403 BREAK_GLASS_NOT_ALLOWED', '403 BREAK_GLASS_NOT_ALLOWED', '403 BREAK_GLASS_NOT_ALLOWED'],
  ['POST /requests/:approved/break-glass/review', '403',                  '403',                      '409 CONFLICT',             '409 CONFLICT',             '409 CONFLICT',             '409 CONFLICT'],
];

/** Routes whose success changes a stored request; every other cell must leave them as they were. */
export const writes = new Set([
  'POST /v1/requests',
  'POST /v1/requests/:pending/reviews',
  'POST /v1/requests/:approved/revoke',
  'POST /v1/requests/:denied/reopen',
  'POST /v1/runs',
  'POST /requests/:pending/review',
  'POST /requests/:approved/revoke',
  'POST /requests/:denied/reopen',
  'POST /v1/requests/:pending/break-glass',
  'POST /v1/requests/:approved/break-glass/review',
  'POST /requests/:pending/break-glass',
  'POST /requests/:approved/break-glass/review',
]);

/** The routes alone, e.g. `POST /v1/requests/:pending/reviews` or `GET /audit?format=jsonl`. */
export const routes: readonly string[] = routeTable.map(([route]) => route);

/** Whether a route belongs to the JSON API (the rest is the console). */
export const isApi = (route: string): boolean => /^\w+ \/(v1\/|healthz|\.well-known\/)/.test(route);

/** A cheap scrypt hash in the service's format (the cost is the config's business, not the tests'). */
export function quickPasswordHash(password: string): string {
  const salt = randomBytes(16);
  const hash = scryptSync(password, salt, 32, { N: 1024, r: 8, p: 1 });
  return `scrypt$1024$8$1$${salt.toString('base64url')}$${hash.toString('base64url')}`;
}

/**
 * The config the table holds for: the requests live on acme/web/prod, rule "prod" (2 of
 * managers, deployers may ask); the approver of another group (sre) approves under the
 * default rule only; auditors only read. Bob is a second manager.
 */
export function routeTableConfig(): ServiceConfig {
  const people = [...Object.values(users), { id: 'bob', groups: ['managers'] }];
  return validateConfig(
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
}

export const stack = 'acme/web/prod';

/** Carol's request for the security group `name`, with its fingerprint. */
export function change(name: string) {
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

/** The JSON body each API route is called with: valid, so only the caller decides the answer. */
export function apiBody(route: string, ids: RouteIds): unknown {
  if (route === 'POST /v1/requests') return change('new');
  if (route.startsWith('POST') && route.endsWith('/break-glass')) return { reason: 'incident' };
  if (route.endsWith('/break-glass/review')) return { outcome: 'acknowledge' };
  if (route.endsWith('/reviews')) return { decision: 'approve', reason: 'looks right' };
  if (route.endsWith('/revoke') || route.endsWith('/reopen')) return { reason: 'done' };
  if (route === 'POST /v1/checks') {
    const { urn, policy, fingerprint } = change('a');
    return { stack, items: [{ urn, policy, fingerprint }] };
  }
  if (route === 'POST /v1/runs') {
    return { stack, run: { id: 'run-1', dryRun: false }, used: [ids.approved], blocked: [] };
  }
  return undefined;
}

/** The form fields each console POST sends, besides `_token`. */
export function formFields(route: string, caller: Caller): Record<string, string> {
  if (route === 'POST /login') {
    const id = caller === 'badToken' || caller === 'none' ? 'carol' : users[caller].id;
    return { username: id, password: caller === 'badToken' ? 'wrong' : id };
  }
  if (route === 'POST /settings') return { timeZone: 'Europe/Berlin' };
  if (route.endsWith('/break-glass')) return { reason: 'incident' };
  if (route.endsWith('/break-glass/review')) return { outcome: 'acknowledge' };
  if (route.endsWith('/review')) return { decision: 'approve', reason: 'looks right' };
  if (route.endsWith('/revoke') || route.endsWith('/reopen')) return { reason: 'done' };
  return {};
}
