import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RequestView } from '@clearance/client';
import { startTestServer, type TestServer } from '../../testing/test-server.js';
import { runCli } from '../test-io.case.js';
import { requestArgs, testConfigYaml, testTokens, type TestUser } from '../test-service.case.js';

/** The CLI's test users; on acme/glass/* deployers may break the glass, managers review. */
let server: TestServer;
const env = (user: TestUser) => ({ CLEARANCE_URL: server.url, CLEARANCE_TOKEN: testTokens[user] });

beforeAll(async () => {
  server = await startTestServer({
    prefix: 'clearance-cli-',
    config: `${testConfigYaml()}rules:
  - name: glass
    stacks: ['acme/glass/*']
    approvals: 2
    approverGroups: [managers]
    maxDurationSeconds: 14400
    breakGlass: {groups: [deployers], maxDurationSeconds: 3600, reviewerGroups: [managers]}
`,
  });
});
afterAll(() => server.close());

async function open(stack: string): Promise<string> {
  const { out } = await runCli([...requestArgs(stack), '--json'], env('carol'));
  return (JSON.parse(out) as RequestView).id;
}

describe('clearance break-glass', () => {
  it('approves the caller’s own request at once; the token says breakGlass', async () => {
    const id = await open('acme/glass/prod');
    const done = await runCli(
      ['break-glass', id, '--reason', 'checkout is down', '--duration', '30m', '--json'],
      env('carol'),
    );
    expect(done.code).toBe(0);
    const view = JSON.parse(done.out) as RequestView;
    expect(view.status).toBe('approved');
    expect(view.breakGlass).toMatchObject({ by: 'carol', grantedSeconds: 1800 });
    expect(decodeJwt(view.token ?? '').breakGlass).toBe(true);
    const plain = await runCli(
      ['break-glass', await open('acme/glass/prod'), '--reason', 'x'],
      env('carol'),
    );
    expect(plain.out).toMatch(/^Break-glass: req_\S+ is approved until .+; review due .+\.\n/);
  });

  it('refuses without a reason, over the duration, outside the groups, and where the rule allows none', async () => {
    const id = await open('acme/glass/prod');
    const cases: [string[], TestUser, string][] = [
      [['break-glass', id], 'carol', 'ERR_VALIDATION'],
      [['break-glass', id, '--reason', 'x', '--duration', '2h'], 'carol', 'ERR_DURATION_TOO_LONG'],
      [['break-glass', id, '--reason', 'x'], 'alice', 'ERR_NOT_ELIGIBLE'],
      [
        ['break-glass', await open('acme/app/test'), '--reason', 'x'],
        'carol',
        'ERR_BREAK_GLASS_NOT_ALLOWED',
      ],
    ];
    for (const [args, user, code] of cases) {
      const refused = await runCli(args, env(user));
      expect([refused.code, refused.err]).toEqual([1, expect.stringContaining(`[${code}]`)]);
    }
  });
});
