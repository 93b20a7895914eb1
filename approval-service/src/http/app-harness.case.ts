import { fileURLToPath } from 'node:url';
import type { Hono } from 'hono';
import {
  requestFingerprint,
  type CreateRequestBody,
  type ErrorBody,
  type ManualClock,
  type RequestView,
} from '@clearance/client';
import { loadConfig } from '../config/load-config.js';
import type { ServiceConfig } from '../config/config-schema.js';
import type { NotificationEvent } from '../service/notifier.js';
import type { Services } from '../service/services.js';
import type { Store } from '../store/store.js';
import { testApp } from '../testing/test-app.js';
import type { KeyringSigner } from '../tokens/approval-signer.js';

/** Shared by the service's in-process tests: the demo config on a memory store and a manual clock. */

export const demoConfigPath = fileURLToPath(new URL('../../config/demo.yaml', import.meta.url));
export const demoTokens = { alice: 'demo-alice', bob: 'demo-bob', carol: 'demo-carol' } as const;
export const publicUrl = 'http://console.test';

type ChangeFields = Omit<CreateRequestBody, 'fingerprint'>;

/** The body with the fingerprint of its own stack, URN, type, policy and material. */
export function withFingerprint<B extends ChangeFields>(body: B): B & { fingerprint: string } {
  return { ...body, fingerprint: requestFingerprint(body) };
}

const sshChange = {
  stack: 'acme/web/prod',
  urn: 'urn:pulumi:prod::web::aws:ec2/securityGroup:SecurityGroup::ssh',
  type: 'aws:ec2/securityGroup:SecurityGroup',
  policy: 'aws-security-group-open-ingress',
  summary: 'opens port 22 to 0.0.0.0/0',
  reason: 'incident 42: debugging',
  material: { ingress: [{ protocol: 'tcp', fromPort: 22, toPort: 22, cidrBlocks: ['0.0.0.0/0'] }] },
} satisfies ChangeFields;

/** A request as the pack opens it: SSH open to the internet, with its real fingerprint. */
export const requestBody = withFingerprint(sshChange);

/** `requestBody` with some fields changed (another state: `{material: {n: 2}}`), fingerprint recomputed. */
export function requestFor(overrides: Partial<ChangeFields>): CreateRequestBody & ChangeFields {
  return withFingerprint({ ...sshChange, ...overrides });
}

export interface Harness {
  app: Hono;
  services: Services;
  store: Store;
  signer: KeyringSigner;
  clock: ManualClock;
  config: ServiceConfig;
  notifications: NotificationEvent[];
  call(
    method: string,
    path: string,
    options?: {
      as?: keyof typeof demoTokens;
      body?: unknown;
      raw?: string;
      headers?: Record<string, string>;
    },
  ): Promise<Response>;
  json<T = RequestView>(
    method: string,
    path: string,
    as: keyof typeof demoTokens,
    body?: unknown,
  ): Promise<T>;
  /** Everything the store holds, to show that a refused call wrote nothing. */
  snapshot(): Promise<{ requests: unknown[]; audit: unknown[] }>;
}

/**
 * The demo config (with `overrides`) in-process; `deps` swaps in a store or a log of
 * unexpected errors.
 */
export async function appHarness(
  overrides: Partial<ServiceConfig> = {},
  deps: { store?: Store; log?: (line: string) => void } = {},
): Promise<Harness> {
  const config: ServiceConfig = { ...loadConfig(demoConfigPath), publicUrl, ...overrides };
  const notifications: NotificationEvent[] = [];
  const notifier = { notify: (e: NotificationEvent) => void notifications.push(e) };
  const { app, services, store, signer, clock } = await testApp({ config, notifier, ...deps });

  const call: Harness['call'] = (method, path, options = {}) => {
    const headers: Record<string, string> = { ...options.headers };
    if (options.as) headers.authorization = `Bearer ${demoTokens[options.as]}`;
    let body: string | undefined = options.raw;
    if (options.body !== undefined) body = JSON.stringify(options.body);
    if (body !== undefined) headers['content-type'] ??= 'application/json';
    return Promise.resolve(app.request(path, { method, headers, body: body ?? null }));
  };
  const json: Harness['json'] = async (method, path, as, body) => {
    const res = await call(method, path, { as, body });
    const payload: unknown = await res.json();
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(payload)}`);
    return payload as never;
  };
  const snapshot = async () => ({
    requests: await store.listRequests(),
    audit: await store.readAudit(),
  });
  return { app, services, store, signer, clock, config, notifications, call, json, snapshot };
}

/** Status, code and message of a JSON error answer. */
export async function errorOf(
  res: Response,
): Promise<{ status: number; code: string; message: string }> {
  const body = (await res.json()) as ErrorBody;
  return { status: res.status, code: body.error.code, message: body.error.message };
}
