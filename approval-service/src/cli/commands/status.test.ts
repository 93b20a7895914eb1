import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RequestView } from '@clearance/client';
import { runCli } from '../test-io.case.js';
import { requestArgs, startTestService, type TestService } from '../test-service.case.js';

let svc: TestService;
const stack = 'acme/app/status';
const ids: string[] = [];

beforeAll(async () => {
  svc = await startTestService();
  for (let i = 0; i < 3; i++) {
    const { out } = await runCli([...requestArgs(stack), '--json'], svc.env('carol'));
    ids.push((JSON.parse(out) as RequestView).id);
  }
  await runCli(['deny', ids[0] ?? '', '--reason', 'no'], svc.env('alice'));
});
afterAll(() => svc.close());

describe('clearance status', () => {
  it('shows one request for people and for machines', async () => {
    const human = await runCli(['status', ids[1] ?? ''], svc.env('carol'));
    expect(human.code).toBe(0);
    expect(human.out).toMatch(new RegExp(`^${ids[1]}  pending  \\(0 of 2 managers\\)\\n`));
    expect(human.out).toContain(`stack      ${stack}`);
    expect(human.out).toMatch(
      /\n {2}expires {4}\d{4}-\d\d-\d\d \d\d:\d\d UTC \(in \d[^)]*\), lapses if still undecided\n/,
    );
    const json = await runCli(['status', ids[1] ?? '', '--json'], svc.env('carol'));
    expect((JSON.parse(json.out) as RequestView).id).toBe(ids[1]);
  });

  it('lists a stack as a table, filtered by status', async () => {
    const all = await runCli(['status', '--stack', stack], svc.env('carol'));
    expect(all.out.split('\n')[0]).toMatch(
      /^ID\s+STATUS\s+PROGRESS\s+POLICY\s+RESOURCE\s+EXPIRES$/,
    );
    for (const id of ids) expect(all.out).toContain(id);
    expect(all.out.split('\n')[1]).toMatch(/ \d{4}-\d\d-\d\d \d\d:\d\d UTC \((in|ago) [^)]+\)$/);
    const pending = await runCli(
      ['status', '--stack', stack, '--status', 'pending', '--json'],
      svc.env('carol'),
    );
    const listed = (JSON.parse(pending.out) as { requests: RequestView[] }).requests.map(
      (r) => r.id,
    );
    expect(listed.sort()).toEqual([ids[1], ids[2]].sort());
    const none = await runCli(['status', '--stack', 'acme/app/empty'], svc.env('carol'));
    expect(none.out).toBe('No requests.\n');
  });

  it('refuses an unknown status and a call without a selection', async () => {
    const bad = await runCli(['status', '--stack', stack, '--status', 'done'], svc.env('carol'));
    expect(bad.code).toBe(1);
    expect(bad.err).toContain(
      '--status must be one of pending, approved, denied, expired, revoked, got "done"',
    );
    const nothing = await runCli(['status'], svc.env('carol'));
    expect(nothing.code).toBe(1);
    expect(nothing.err).toContain('give a request id, --stack or --status');
  });
});
