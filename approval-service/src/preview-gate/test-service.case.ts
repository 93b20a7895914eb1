import { readFileSync } from 'node:fs';
import { ClearanceClient, ManualClock } from '@clearance/client';
import { hashApiToken } from '../auth/secrets.js';
import { appFetch, testApp } from '../testing/test-app.js';

/** API tokens of the gate tests' users: DBAs alice and bob, CI carol. */
export const gateTokens = { alice: 'gate-alice', bob: 'gate-bob', carol: 'gate-carol' } as const;
export const gateStack = 'acme/aws-prod-database/prod';

/** A fixture of `pulumi preview --json` output, by file name. */
export function previewFixture(name: string): string {
  return readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
}

/** The approval service in-process (memory store, manual clock), with a client per user. */
export async function gateTestService(start = new Date('2026-01-05T10:00:00Z')) {
  const clock = new ManualClock(start);
  const user = (id: keyof typeof gateTokens, groups: string[]) => ({
    id,
    name: id,
    groups,
    apiTokenSha256: hashApiToken(gateTokens[id]),
  });
  const { app } = await testApp({
    clock,
    config: {
      publicUrl: 'https://clearance.example.com',
      users: [user('alice', ['dba']), user('bob', ['dba']), user('carol', ['ci'])],
      defaultRule: { approvals: 1, approverGroups: ['dba'], maxDurationSeconds: 3600 },
    },
  });
  let calls = 0;
  const toApp = appFetch(app);
  const fetch: typeof globalThis.fetch = (input, init) => {
    calls += 1;
    return toApp(input, init);
  };
  const client = (id: keyof typeof gateTokens) =>
    new ClearanceClient({ url: 'https://clearance.test', token: gateTokens[id], fetch });
  return { clock, client, calls: () => calls };
}
