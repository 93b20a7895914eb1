import fc from 'fast-check';
import type { ServiceConfig } from '../config/config-schema.js';
import { formToken, TestBrowser } from '../console/console-harness.case.js';
import type { Store } from '../store/store.js';
import { testApp, type TestApp } from '../testing/test-app.js';
import {
  type FuzzBody,
  type FuzzCaller,
  type FuzzInput,
  fuzzInput,
  percentEncode,
} from './fuzz-inputs.case.js';
import {
  apiBody,
  change,
  formFields,
  isApi,
  routeTableConfig,
  type RouteIds,
  users,
  withIds,
} from './route-table.case.js';

/**
 * Sends the odd inputs of `fuzz-inputs.case.ts` to the app in-process (`app.request()`) and
 * judges each answer: never a 5xx, and a refused input (4xx) writes nothing, neither a request
 * nor an audit entry, the audit of a failed authentication aside (what a refusal is meant to
 * leave). The app runs on a memory store holding carol's three requests of the route table
 * (pending, approved, denied); it is built afresh after an input changed them, and every
 * `freshEvery` inputs.
 */

const origin = 'http://console.test';
/** The connection an in-process request comes from. */
const from = (remoteAddress: string) => ({ incoming: { socket: { remoteAddress } } });
const env = from('127.0.0.1');

interface World {
  app: TestApp['app'];
  store: Store;
  ids: RouteIds;
  /** Console sessions by caller: cookie and form token. */
  sessions: Map<FuzzCaller, { cookie: string; token: string }>;
  /** The sign-in page's cookie and form token, for `POST /login`. */
  login: { cookie: string; token: string };
  /** Lines the app logged (an unexpected error is logged before it answers 500). */
  logged: string[];
}

let sharedConfig: ServiceConfig | undefined;

async function buildWorld(): Promise<World> {
  sharedConfig ??= routeTableConfig();
  const config = sharedConfig;
  const logged: string[] = [];
  const { app, store } = await testApp({ config, log: (line) => logged.push(line) });
  const post = async (path: string, as: string, body: unknown) => {
    const res = await app.request(
      path,
      {
        method: 'POST',
        headers: { authorization: `Bearer tok-${as}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      },
      env,
    );
    if (!res.ok) throw new Error(`fuzz world: ${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as { id: string };
  };
  const open = async (name: string) => (await post('/v1/requests', 'carol', change(name))).id;
  const [pending, approved, denied] = [await open('a'), await open('b'), await open('c')];
  const approve = { decision: 'approve', reason: 'ok' };
  await post(`/v1/requests/${approved}/reviews`, 'alice', approve);
  await post(`/v1/requests/${approved}/reviews`, 'bob', approve);
  await post(`/v1/requests/${denied}/reviews`, 'bob', { decision: 'deny', reason: 'no' });
  const cookies = (browser: TestBrowser) =>
    [...browser.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  const sessions = new Map<FuzzCaller, { cookie: string; token: string }>();
  for (const caller of ['requester', 'approver', 'auditor'] as const) {
    const browser = new TestBrowser(app);
    const { id } = users[caller];
    const res = await browser.login(id);
    if (res.status !== 303) throw new Error(`fuzz world: ${id} could not sign in (${res.status})`);
    const token = formToken(await (await browser.get('/')).text());
    sessions.set(caller, { cookie: cookies(browser), token });
  }
  const anonymous = new TestBrowser(app);
  const token = formToken(await (await anonymous.get('/login')).text());
  const login = { cookie: cookies(anonymous), token };
  return { app, store, ids: { pending, approved, denied }, sessions, login, logged };
}

/** What a store holds that a refused input must not change. */
async function state(store: Store): Promise<string> {
  const requests = await store.listRequests();
  const audit = (await store.readAudit()).filter((e) => e.action !== 'auth.failed');
  return JSON.stringify([requests, audit]);
}

/** Every path to a value inside `value` (the root first), for mutations to pick from. */
function paths(value: unknown, at: (string | number)[] = []): (string | number)[][] {
  const found = [at];
  if (value !== null && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      found.push(...paths(inner, [...at, Array.isArray(value) ? Number(key) : key]));
    }
  }
  return found;
}

function nodeAt(root: unknown, path: (string | number)[]): Record<string, unknown> | undefined {
  let node: unknown = root;
  for (const key of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node !== null && typeof node === 'object' ? (node as Record<string, unknown>) : undefined;
}

/** The valid body with the mutations applied (on a copy); the root itself may be replaced. */
function mutate(
  valid: unknown,
  mutations: Extract<FuzzBody, { kind: 'mutated' }>['mutations'],
): unknown {
  let root: unknown = structuredClone(valid) ?? {};
  for (const m of mutations) {
    // A copy, so that no value generated twice ends up inside itself.
    const value = 'value' in m ? structuredClone(m.value) : undefined;
    const all = paths(root);
    const path = all[m.at % all.length] ?? [];
    const last = path.at(-1);
    if (m.op === 'add') {
      const target = nodeAt(root, path);
      if (target) {
        Object.defineProperty(target, m.key, {
          value,
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
      continue;
    }
    if (last === undefined) {
      root = m.op === 'set' ? value : {};
      continue;
    }
    const parent = nodeAt(root, path.slice(0, -1));
    if (!parent) continue;
    if (m.op === 'set') parent[last] = value;
    else if (Array.isArray(parent)) parent.splice(Number(last), 1);
    else delete parent[last];
  }
  return root;
}

function nested(depth: number, shape: 'array' | 'object'): string {
  return shape === 'array'
    ? `${'['.repeat(depth)}${']'.repeat(depth)}`
    : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
}

/** The body text (or bytes) an input stands for, given the route's valid body. */
function bodyOf(spec: FuzzBody, valid: unknown, form: boolean): string | Uint8Array {
  const encode = (value: unknown): string =>
    form && value !== null && typeof value === 'object' && !Array.isArray(value)
      ? Object.entries(value)
          .map(
            ([k, v]) =>
              `${percentEncode(k)}=${percentEncode(typeof v === 'string' ? v : (JSON.stringify(v) ?? ''))}`,
          )
          .join('&')
      : (JSON.stringify(value) ?? '');
  switch (spec.kind) {
    case 'mutated':
      return encode(mutate(valid, spec.mutations));
    case 'text':
      return spec.text;
    case 'truncated': {
      const text = encode(valid);
      return text.slice(0, spec.at % (text.length + 1));
    }
    case 'bytes':
      return Uint8Array.from(spec.bytes);
    case 'deep': {
      const deep = nested(spec.depth, spec.shape);
      if (!spec.inBody || valid === null || typeof valid !== 'object') return deep;
      const text = encode({ ...valid, material: '\u0000' });
      return text.replace('"\\u0000"', deep);
    }
    case 'oversized': {
      const text = encode(valid);
      const room = Math.max(0, spec.bytes - text.length);
      if (spec.filler === 'whitespace') return `${text}${' '.repeat(room)}`;
      const padded = {
        ...(valid as object),
        padding: spec.filler === 'string' ? 'x'.repeat(room) : [],
      };
      if (spec.filler === 'array') {
        return encode(padded).replace('"padding":[]', `"padding":[${'0,'.repeat(room / 2)}0]`);
      }
      return encode(padded);
    }
    case 'json':
      return encode(spec.value);
  }
}

export interface FuzzOutcome {
  status: number;
  /** The input was refused (4xx) and the store changed all the same. */
  wroteWhenRefused: boolean;
  /** The input was accepted and changed the store. */
  wrote: boolean;
}

/** The app under fuzzing: sends one input at a time and judges its answer. */
export class FuzzTarget {
  private world: World | undefined;
  private sinceFresh = 0;
  private addresses = 0;

  constructor(private readonly freshEvery = 200) {}

  /** The Request an input stands for in the current world. */
  private request(input: FuzzInput, world: World): Request | undefined {
    const [method = 'GET', template = '/'] = input.route.split(' ');
    let path = withIds(template, world.ids);
    if (input.id !== undefined && /:(pending|approved|denied)\b/.test(template)) {
      path = template.replace(/:(pending|approved|denied)\b/, percentEncode(input.id));
    }
    if (input.query !== undefined) path += `${path.includes('?') ? '&' : '?'}${input.query}`;
    const api = isApi(input.route);
    const headers = new Headers();
    const session = input.route === 'POST /login' ? world.login : world.sessions.get(input.caller);
    if (api) {
      if (input.caller === 'badToken') headers.set('authorization', 'Bearer tok-forged');
      else if (input.caller !== 'none')
        headers.set('authorization', `Bearer tok-${users[input.caller].id}`);
    } else if (session) {
      headers.set('cookie', session.cookie);
    } else if (input.caller === 'badToken') {
      headers.set('cookie', 'clearance-session=forged-session-id');
    }
    let body: string | Uint8Array | undefined;
    if (method === 'POST') {
      const own = api ? 'application/json' : 'application/x-www-form-urlencoded';
      headers.set('content-type', input.contentType ?? own);
      headers.set('origin', origin);
      const valid = api ? apiBody(input.route, world.ids) : formFields(input.route, input.caller);
      body = bodyOf(input.body ?? { kind: 'mutated', mutations: [] }, valid, !api);
      if (!api && input.formToken !== 'missing') {
        // The form token first, whatever follows, so that the rest is read too.
        const token =
          input.formToken === 'valid' ? (session?.token ?? 'no-session') : input.formToken;
        const field = `_token=${percentEncode(token)}&`;
        body =
          typeof body === 'string' ? `${field}${body}` : Buffer.concat([Buffer.from(field), body]);
      }
    }
    try {
      for (const [name, value] of input.headers) headers.set(name, value);
      return new Request(new URL(path, origin), {
        method,
        headers,
        ...(body === undefined ? {} : { body }),
      });
    } catch {
      return undefined; // not something a client can send (fetch refuses it)
    }
  }

  async send(input: FuzzInput): Promise<FuzzOutcome | undefined> {
    if (!this.world || this.sinceFresh >= this.freshEvery) {
      this.world = await buildWorld();
      this.sinceFresh = 0;
    }
    const world = this.world;
    this.sinceFresh += 1;
    const request = this.request(input, world);
    if (!request) return undefined;
    const before = await state(world.store);
    const address =
      input.address === 'fresh'
        ? `10.1.${(this.addresses += 1) >> 8}.${this.addresses & 255}`
        : input.address;
    const res = await world.app.request(request, undefined, from(address));
    await res.arrayBuffer();
    const changed = (await state(world.store)) !== before;
    if (changed) this.world = undefined;
    return {
      status: res.status,
      wroteWhenRefused: changed && res.status >= 400,
      wrote: changed && res.status < 400,
    };
  }

  /** What the app logged since it was built (unexpected errors among it). */
  logged(): readonly string[] {
    return this.world?.logged ?? [];
  }
}

export interface FuzzResult {
  seed: number;
  /** Inputs generated, and those sent (a few are not sendable, e.g. a header fetch refuses). */
  inputs: number;
  sent: number;
  status2xx: number;
  status3xx: number;
  status4xx: number;
  status5xx: number;
  /** Refused inputs that changed the store anyway (must be 0). */
  writesWhenRefused: number;
  /** Accepted inputs that changed the store (a review with an odd but valid reason...). */
  acceptedWrites: number;
  /** Inputs per route. */
  byRoute: Record<string, number>;
  /** The first failing inputs (5xx, or written when refused), for replay. */
  failures: { input: string; status: number; why: string }[];
  seconds: number;
}

/** A short, printable description of an input (long strings cut). */
export function describeInput(input: FuzzInput): string {
  return JSON.stringify(input, (_, v: unknown) =>
    typeof v === 'string' && v.length > 80 ? `${v.slice(0, 40)}…(${v.length} chars)` : v,
  );
}

/** Sends `inputs` generated inputs (seeded, in batches) and counts the answers. */
export async function runHttpFuzz(options: {
  inputs: number;
  seed?: number;
  log?: (line: string) => void;
}): Promise<FuzzResult> {
  const seed = options.seed ?? Math.floor(Math.random() * 2 ** 31);
  const started = performance.now();
  const target = new FuzzTarget();
  const result: FuzzResult = {
    seed,
    inputs: 0,
    sent: 0,
    status2xx: 0,
    status3xx: 0,
    status4xx: 0,
    status5xx: 0,
    writesWhenRefused: 0,
    acceptedWrites: 0,
    byRoute: {},
    failures: [],
    seconds: 0,
  };
  const batch = 500;
  for (let done = 0, n = 0; done < options.inputs; n++) {
    const count = Math.min(batch, options.inputs - done);
    for (const input of fc.sample(fuzzInput, { numRuns: count, seed: seed + n })) {
      result.inputs += 1;
      result.byRoute[input.route] = (result.byRoute[input.route] ?? 0) + 1;
      const outcome = await target.send(input);
      if (!outcome) continue;
      result.sent += 1;
      const { status } = outcome;
      if (status >= 500) result.status5xx += 1;
      else if (status >= 400) result.status4xx += 1;
      else if (status >= 300) result.status3xx += 1;
      else result.status2xx += 1;
      if (outcome.wroteWhenRefused) result.writesWhenRefused += 1;
      if (outcome.wrote) result.acceptedWrites += 1;
      const why =
        status >= 500 ? 'a 5xx' : outcome.wroteWhenRefused ? 'refused, yet written' : undefined;
      if (why && result.failures.length < 20) {
        result.failures.push({ input: describeInput(input), status, why });
      }
    }
    done += count;
    options.log?.(`${done} inputs, ${result.status5xx} 5xx`);
  }
  result.seconds = (performance.now() - started) / 1000;
  return result;
}
