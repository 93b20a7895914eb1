import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RequestView } from '@clearance/client';
import { runCli } from '../test-io.case.js';
import { requestArgs, startTestService, type TestService } from '../test-service.case.js';

let svc: TestService;
beforeAll(async () => {
  svc = await startTestService();
});
afterAll(() => svc.close());

async function openRequest(): Promise<string> {
  const { out } = await runCli([...requestArgs(), '--json'], svc.env('carol'));
  return (JSON.parse(out) as RequestView).id;
}

describe('clearance approve / deny / revoke', () => {
  it('approves with two managers: pending "1 of 2", then approved with a token', async () => {
    const id = await openRequest();
    const first = await runCli(['approve', id, '--reason', 'looks fine'], svc.env('alice'));
    expect(first.code).toBe(0);
    expect(first.out).toContain(`Your approval is recorded: ${id} is pending (1 of 2 managers).`);
    const second = await runCli(
      ['approve', id, '--reason', 'ok', '--duration', '30m', '--json'],
      svc.env('bob'),
    );
    expect(second.code).toBe(0);
    const view = JSON.parse(second.out) as RequestView;
    expect(view.status).toBe('approved');
    expect(view.token).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(view.reviews.map((r) => r.reviewer)).toEqual(['alice', 'bob']);
  });

  it('refuses a self-review and a double vote with their codes', async () => {
    const id = await openRequest();
    const self = await runCli(['approve', id, '--reason', 'mine'], svc.env('carol'));
    expect(self.code).toBe(1);
    expect(self.err).toMatch(/^clearance approve: .+\[ERR_(SELF_REVIEW|NOT_ELIGIBLE)\]\n$/);
    await runCli(['approve', id, '--reason', 'ok'], svc.env('alice'));
    const twice = await runCli(['approve', id, '--reason', 'again'], svc.env('alice'));
    expect(twice.code).toBe(1);
    expect(twice.err).toContain('[ERR_ALREADY_VOTED]');
  });

  it('refuses an approval longer than the rule allows instead of cutting it silently', async () => {
    const id = await openRequest();
    const long = await runCli(
      ['approve', id, '--reason', 'ok', '--duration', '2h'],
      svc.env('alice'),
    );
    expect(long.code).toBe(1);
    expect(long.err).toMatch(
      /^clearance approve: durationSeconds: 7200 s is more than rule "default" allows \(at most 3600 s\).+\[ERR_DURATION_TOO_LONG\]\n$/,
    );
    const status = await runCli(['status', id, '--json'], svc.env('alice'));
    expect((JSON.parse(status.out) as RequestView).reviews).toEqual([]);
  });

  it('denies with one eligible denial', async () => {
    const id = await openRequest();
    const { code, out } = await runCli(['deny', id, '--reason', 'not in prod'], svc.env('bob'));
    expect(code).toBe(0);
    expect(out).toContain(`Denied: ${id} is denied.`);
    expect(out).toContain('review     bob denied at');
  });

  it('revokes an approved request', async () => {
    const id = await openRequest();
    await runCli(['approve', id, '--reason', 'ok'], svc.env('alice'));
    await runCli(['approve', id, '--reason', 'ok'], svc.env('bob'));
    const { code, out } = await runCli(
      ['revoke', id, '--reason', 'done', '--json'],
      svc.env('carol'),
    );
    expect(code).toBe(0);
    const view = JSON.parse(out) as RequestView;
    expect(view.status).toBe('revoked');
    expect(view.revokedBy).toBe('carol');
  });

  it('takes the reason as the console does: optional unless the rule requires one', async () => {
    const id = await openRequest();
    const approved = await runCli(['approve', id, '--json'], svc.env('alice'));
    expect(approved.code).toBe(0);
    const view = JSON.parse(approved.out) as RequestView;
    expect(view.reviews).toEqual([expect.objectContaining({ reviewer: 'alice', reason: '' })]);
  });

  it('wants exactly one id', async () => {
    const none = await runCli(['approve', '--reason', 'x'], svc.env('alice'));
    expect(none.err).toContain('clearance approve: missing the request id');
    const two = await runCli(['deny', 'a', 'b', '--reason', 'x'], svc.env('alice'));
    expect(two.err).toContain('clearance deny: expected one request id, got 2');
    const unknown = await runCli(['deny', 'req_nope', '--reason', 'x'], svc.env('alice'));
    expect(unknown.code).toBe(1);
    expect(unknown.err).toContain('[ERR_NOT_FOUND]');
  });
});
