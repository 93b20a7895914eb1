import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import { hashApiToken, type RunningServer } from '@clearance/approval-service';
import { startTestServer } from '@clearance/approval-service/testing';
import { ClearanceClient, ManualClock } from '@clearance/client';

/** Users of the end-to-end service: carol deploys (and is on call); the others approve. */
export const users = {
  carol: ['deployers', 'oncall'],
  alice: ['platform', 'managers'],
  bob: ['managers'],
  dana: ['dba'],
  erin: ['sre-leads'],
} as const;
export type UserId = keyof typeof users;
export const apiToken = (id: UserId): string => `e2e-${id}-token`;

/** Monday 5 January 2026, 11:00 in Paris: inside the business hours of the SSH rule. */
export const E2E_START = new Date('2026-01-05T10:00:00Z');

export interface E2eService {
  server: RunningServer;
  clock: ManualClock;
  /** The service's data directory (lowdb snapshot, journal, audit trail, keys). */
  dataDir: string;
  client(id: UserId): ClearanceClient;
  close(): Promise<void>;
}

/** The rules an example ships in its `clearance.yaml`. */
export async function exampleRules(example: string): Promise<unknown[]> {
  const file = new URL(`../../examples/${example}/clearance.yaml`, import.meta.url);
  return (parse(await readFile(file, 'utf8')) as { rules: unknown[] }).rules;
}

/**
 * Starts the real approval service (`startServer`: config file, lowdb data directory,
 * loopback, free port) with the example's own rules and a manual clock at E2E_START;
 * `notifications` is the config's section of that name (webhooks), `config` more keys of it
 * (freezes, conditions).
 */
export async function startE2eService(
  rules: unknown[],
  options: { notifications?: unknown; config?: Record<string, unknown> } = {},
): Promise<E2eService> {
  const clock = new ManualClock(E2E_START);
  const { server, url, dataDir, close } = await startTestServer({
    config: {
      users: Object.entries(users).map(([id, groups]) => ({
        id,
        name: id,
        groups: [...groups],
        apiTokenSha256: hashApiToken(apiToken(id as UserId)),
      })),
      rules,
      defaultRule: { approvals: 1, approverGroups: ['platform'], maxDurationSeconds: 3600 },
      notifications: options.notifications,
      ...options.config,
    },
    clock,
    prefix: 'clearance-e2e-',
  });
  return {
    server,
    clock,
    dataDir,
    client: (id) => new ClearanceClient({ url, token: apiToken(id) }),
    close,
  };
}
