import { randomBytes, scryptSync } from 'node:crypto';
import { Hono } from 'hono';
import type { CreateRequestBody, RequestView } from '@clearance/client';
import { fingerprint } from '@clearance/client';
import { parseStackName } from '@clearance/client';
import type { ServiceConfig, ServiceConfigInput } from '../config/config-schema.js';
import { validateConfig } from '../config/load-config.js';
import type { Actor } from '../domain/model.js';
import { testApp } from '../testing/test-app.js';
import type { ConsoleOptions } from './console-options.js';
import { createConsole } from './index.js';

/** Shared by the console's in-process tests: a real service on a memory store, and a cookie-keeping client. */

/**
 * A scrypt hash in the service's format at a low cost (N = 1024): the console tests log in
 * hundreds of times, and the cost is the config's business, not theirs.
 */
function quickPasswordHash(password: string): string {
  const salt = randomBytes(16);
  const hash = scryptSync(password, salt, 32, { N: 1024, r: 8, p: 1 });
  return `scrypt$1024$8$1$${salt.toString('base64url')}$${hash.toString('base64url')}`;
}

let hashes: Record<string, string> | undefined;

/** Console passwords equal the user names (hashed once per test file). */
function passwordHashes(): Record<string, string> {
  hashes ??= {
    alice: quickPasswordHash('alice'),
    bob: quickPasswordHash('bob'),
    carol: quickPasswordHash('carol'),
  };
  return hashes;
}

export const actors: Record<'alice' | 'bob' | 'carol', Actor> = {
  alice: { id: 'alice', displayName: 'Alice', groups: ['managers'] },
  bob: { id: 'bob', displayName: 'Bob', groups: ['managers'] },
  carol: { id: 'carol', displayName: 'Carol', groups: ['deployers'] },
};

export const origin = 'http://console.test';

let counter = 0;

/**
 * A request body as the policy pack sends it for a security group with SSH open to the
 * internet (policy `aws-security-group-open-ingress`), with its real fingerprint. Each call
 * names another resource; the fingerprint follows the overrides unless one is given.
 */
function requestBody(overrides: Partial<CreateRequestBody> = {}): CreateRequestBody {
  counter += 1;
  const base = {
    stack: 'acme/shop/prod',
    urn: `urn:pulumi:prod::shop::aws:ec2/securityGroup:SecurityGroup::web-sg-${counter}`,
    type: 'aws:ec2/securityGroup:SecurityGroup',
    policy: 'aws-security-group-open-ingress',
    summary: 'ingress from 0.0.0.0/0 on tcp port 22',
    reason: 'Debugging',
    durationSeconds: 1800,
    material: { openIngress: [{ protocol: 'tcp', fromPort: 22, toPort: 22, cidr: '0.0.0.0/0' }] },
    ...overrides,
  };
  return {
    ...base,
    fingerprint: overrides.fingerprint ?? fingerprint({ ...base, ...parseStackName(base.stack) }),
  };
}

/** The service config of the console tests: alice and bob (managers), carol (deployer). */
export async function consoleConfig(
  extra: Partial<ServiceConfigInput> = {},
): Promise<ServiceConfig> {
  const pw = passwordHashes();
  return validateConfig(
    {
      publicUrl: origin,
      users: Object.values(actors).map((a) => ({
        id: a.id,
        name: a.displayName,
        groups: a.groups,
        passwordHash: pw[a.id],
      })),
      defaultRule: { approvals: 2, approverGroups: ['managers'], maxDurationSeconds: 3600 },
      ...extra,
    },
    'console test config',
  );
}

export async function consoleHarness(
  options: Partial<ConsoleOptions> = {},
  configExtra: Partial<ServiceConfigInput> = {},
) {
  const { services, store, clock } = await testApp({
    config: await consoleConfig(configExtra),
    maxTokenLifetimeSeconds: 86_400,
  });
  const logs: string[] = [];
  const app = new Hono();
  app.route('/', createConsole({ ...services, clock, options, log: (line) => logs.push(line) }));

  /** Opens a request as carol through the service. */
  async function openRequest(overrides: Partial<CreateRequestBody> = {}): Promise<RequestView> {
    const { request } = await services.requests.createRequest(actors.carol, requestBody(overrides));
    return request;
  }

  return { app, clock, services, store, logs, openRequest };
}

/** The `_token` of the first form on a page. */
export function formToken(html: string): string {
  const m = /name="_token" value="([^"]+)"/.exec(html);
  if (!m?.[1]) throw new Error('no form token on the page');
  return m[1];
}

/** A client that keeps cookies like a browser and sends same-origin form posts. */
export class TestBrowser {
  readonly cookies = new Map<string, string>();

  constructor(
    private readonly app: Hono,
    private readonly base = origin,
    private readonly env: Record<string, unknown> = {
      incoming: { socket: { remoteAddress: '127.0.0.1' } },
    },
    /** Sent with every request (e.g. the headers a proxy in front adds). */
    private readonly headers: Record<string, string> = {},
  ) {}

  async get(path: string, headers: Record<string, string> = {}): Promise<Response> {
    return this.#send(path, { method: 'GET', headers });
  }

  /** A form POST; `origin: null` leaves the Origin header out. */
  async post(
    path: string,
    fields: Record<string, string>,
    opts: { origin?: string | null; headers?: Record<string, string> } = {},
  ): Promise<Response> {
    const headers: Record<string, string> = {
      'content-type': 'application/x-www-form-urlencoded',
      ...opts.headers,
    };
    const from = opts.origin === undefined ? new URL(this.base).origin : opts.origin;
    if (from !== null) headers.origin = from;
    return this.#send(path, {
      method: 'POST',
      headers,
      body: new URLSearchParams(fields).toString(),
    });
  }

  /** Loads a page and posts its first form's token with the given fields. */
  async submit(page: string, action: string, fields: Record<string, string>): Promise<Response> {
    const html = await (await this.get(page)).text();
    return this.post(action, { _token: formToken(html), ...fields });
  }

  async login(user: string, password = user): Promise<Response> {
    return this.submit('/login', '/login', { username: user, password });
  }

  async #send(
    path: string,
    init: RequestInit & { headers: Record<string, string> },
  ): Promise<Response> {
    init.headers = { ...this.headers, ...init.headers };
    const cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    if (cookie) init.headers.cookie = cookie;
    const res = await this.app.request(new URL(path, this.base).toString(), init, this.env);
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair?.indexOf('=') ?? -1;
      if (!pair || eq < 0) continue;
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      if (value === '' || /max-age=0/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return res;
  }
}
