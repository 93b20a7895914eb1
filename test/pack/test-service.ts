import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  hashApiToken,
  openLowdbStore,
  type Actor,
  type ServiceConfigInput,
  type Services,
} from '@clearance/approval-service';
import { serveOnLoopback, testApp } from '@clearance/approval-service/testing';
import { ManualClock } from '@clearance/client';

/** API tokens of the test users: a deployer (carol) and two managers (alice, bob). */
export const apiTokens = {
  carol: 'carol-api-token',
  alice: 'alice-api-token',
  bob: 'bob-api-token',
};
export const PUBLIC_URL = 'https://clearance.example.com';
export const APPROVAL_SECONDS = 3600;

const config: ServiceConfigInput = {
  publicUrl: PUBLIC_URL,
  users: [
    {
      id: 'carol',
      name: 'Carol Deployer',
      groups: ['deployers'],
      apiTokenSha256: hashApiToken(apiTokens.carol),
    },
    {
      id: 'alice',
      name: 'Alice Manager',
      groups: ['managers'],
      apiTokenSha256: hashApiToken(apiTokens.alice),
    },
    {
      id: 'bob',
      name: 'Bob Manager',
      groups: ['managers'],
      apiTokenSha256: hashApiToken(apiTokens.bob),
    },
  ],
  defaultRule: { approvals: 2, approverGroups: ['managers'], maxDurationSeconds: APPROVAL_SECONDS },
};

/** One HTTP request the service received. */
export interface Seen {
  method: string;
  path: string;
}

/** The real approval service on loopback, with a clock tests move and a count of what it received. */
export interface TestService {
  url: string;
  clock: ManualClock;
  services: Services;
  seen: Seen[];
  /** The query of each request in `seen`, at the same index. */
  queries: URLSearchParams[];
  actor(id: keyof typeof apiTokens): Actor;
  /** Both managers approve the request. */
  approve(requestId: string): Promise<void>;
  /** Stops listening (the data stays); calls then fail to connect. */
  stop(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Starts the service as `createApp` builds it, on a lowdb store in a temp directory (or in
 * memory, for large seeded stacks), on 127.0.0.1 and a free port. Its clock starts at the real
 * time, since the pack verifies tokens against the real time.
 */
export async function startTestService(
  options: { memoryStore?: boolean; config?: Partial<ServiceConfigInput> } = {},
): Promise<TestService> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'clearance-pack-test-'));
  const { app, services, store, clock } = await testApp({
    config: { ...config, ...options.config },
    clock: new ManualClock(Date.now()),
    store: options.memoryStore ? undefined : await openLowdbStore({ dataDir }),
    maxTokenLifetimeSeconds: APPROVAL_SECONDS,
  });
  const seen: Seen[] = [];
  const queries: URLSearchParams[] = [];
  const { url, close: stop } = await serveOnLoopback((req) => {
    const url = new URL(req.url);
    seen.push({ method: req.method, path: url.pathname });
    queries.push(url.searchParams);
    return app.fetch(req);
  });
  const actor = (id: keyof typeof apiTokens): Actor => {
    const found = services.auth.authenticateToken(apiTokens[id]);
    if (!found) throw new Error(`no test user ${id}`);
    return found;
  };
  return {
    url,
    clock,
    services,
    seen,
    queries,
    actor,
    approve: async (requestId) => {
      await services.requests.review(actor('alice'), requestId, {
        decision: 'approve',
        reason: 'looks right',
      });
      await services.requests.review(actor('bob'), requestId, {
        decision: 'approve',
        reason: 'ok for today',
      });
    },
    stop,
    close: async () => {
      await stop();
      await store.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
