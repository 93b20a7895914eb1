import type { Hono } from 'hono';
import { ManualClock } from '@clearance/client';
import { createApp } from '../app.js';
import type { ServiceConfig, ServiceConfigInput } from '../config/config-schema.js';
import type { Notifier } from '../service/notifier.js';
import type { Services } from '../service/services.js';
import { createMemoryStore } from '../store/memory-store.js';
import type { Store } from '../store/store.js';
import { createMemorySigner, type KeyringSigner } from '../tokens/approval-signer.js';

/** When a test service's clock starts unless told: Monday 5 January 2026, 09:00 UTC. */
export const testStart = '2026-01-05T09:00:00Z';

export interface TestAppOptions {
  config: ServiceConfig | ServiceConfigInput;
  /** Default: a fresh memory store. */
  store?: Store | undefined;
  /** Default: a manual clock at `testStart`. */
  clock?: ManualClock | undefined;
  notifier?: Notifier | undefined;
  /** Where unexpected errors go; default nowhere. */
  log?: ((line: string) => void) | undefined;
  /** The signer's longest token lifetime (how long a retired key stays published); default 1 h. */
  maxTokenLifetimeSeconds?: number | undefined;
  /** Where condition headers are read from; default none. */
  env?: Readonly<Record<string, string | undefined>> | undefined;
}

/** The service's app in-process, and what it is built from. */
export interface TestApp {
  app: Hono;
  services: Services;
  store: Store;
  signer: KeyringSigner;
  clock: ManualClock;
}

/** The service as `createApp` builds it, on a memory store and signer and a manual clock. */
export async function testApp(options: TestAppOptions): Promise<TestApp> {
  const clock = options.clock ?? new ManualClock(testStart);
  const store = options.store ?? createMemoryStore();
  const signer = await createMemorySigner({
    clock,
    maxTokenLifetimeSeconds: options.maxTokenLifetimeSeconds ?? 3600,
  });
  const { app, services } = createApp({
    store,
    signer,
    clock,
    config: options.config,
    notifier: options.notifier,
    env: options.env ?? {},
    log: options.log ?? (() => undefined),
  });
  return { app, services, store, signer, clock };
}

/** A `fetch` that hands every call to `app` in-process: a `ClearanceClient` without a socket. */
export function appFetch(app: Hono): typeof fetch {
  return (async (input: string | URL | Request, init?: RequestInit) =>
    app.request(input instanceof Request ? input : String(input), init)) as typeof fetch;
}
