import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RequestView } from '@clearance/client';
import { main } from '../main.js';
import { recordingIo, runCli, type RecordingIo } from '../test-io.case.js';
import { requestArgs, startTestService, type TestService } from '../test-service.case.js';

let svc: TestService;
beforeAll(async () => {
  svc = await startTestService();
});
afterAll(() => svc.close());

async function openRequest(stack?: string): Promise<string> {
  const { out } = await runCli([...requestArgs(stack), '--json'], svc.env('carol'));
  return (JSON.parse(out) as RequestView).id;
}

/** Resolves once the running command has written `text` to stderr. */
async function seen(io: RecordingIo, text: string): Promise<void> {
  for (let i = 0; i < 200 && !io.err().includes(text); i++) await delay(10);
  expect(io.err()).toContain(text);
}

function startWait(args: string[]): { io: RecordingIo; code: Promise<number> } {
  const io = recordingIo(svc.env('carol'));
  return { io, code: main(['wait', ...args, '--interval', '20ms'], io) };
}

describe('clearance wait', () => {
  it('exits 0 once approved, showing progress at each change and printing the token', async () => {
    const id = await openRequest();
    const run = startWait([id, '--print-tokens']);
    await seen(run.io, `0/1 decided, waiting for ${id} (0 of 2 managers)…`);
    await runCli(['approve', id, '--reason', 'ok'], svc.env('alice'));
    await seen(run.io, `0/1 decided, waiting for ${id} (1 of 2 managers)…`);
    await runCli(['approve', id, '--reason', 'ok'], svc.env('bob'));
    expect(await run.code).toBe(0);
    expect(run.io.err()).toContain('all 1 approved');
    const status = await runCli(['status', id, '--json'], svc.env('carol'));
    expect(run.io.out()).toBe(`${(JSON.parse(status.out) as RequestView).token}\n`);
  });

  it('waits for every pending request of a stack and joins their tokens with commas', async () => {
    const stack = 'acme/app/wait-stack';
    const ids = [await openRequest(stack), await openRequest(stack)];
    const run = startWait(['--stack', stack, '--print-tokens']);
    await seen(run.io, '0/2 decided');
    for (const id of ids) {
      await runCli(['approve', id, '--reason', 'ok'], svc.env('alice'));
      await runCli(['approve', id, '--reason', 'ok'], svc.env('bob'));
    }
    expect(await run.code).toBe(0);
    const tokens = run.io.out().trim().split(',');
    expect(tokens).toHaveLength(2);
    for (const token of tokens) expect(token).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
  });

  it('exits 1 when a request is denied, saying by whom', async () => {
    const id = await openRequest();
    const run = startWait([id]);
    await seen(run.io, '0/1 decided');
    await runCli(['deny', id, '--reason', 'not today'], svc.env('bob'));
    expect(await run.code).toBe(1);
    expect(run.io.err()).toContain(`${id} was denied by bob: not today`);
  });

  it('exits 2 when the time is up', async () => {
    const id = await openRequest();
    const started = Date.now();
    const { code, err } = await runCli(
      ['wait', id, '--timeout', '300ms', '--interval', '50ms'],
      svc.env('carol'),
    );
    expect(code).toBe(2);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(err).toContain(
      `timed out after 300 ms: 0/1 decided; still waiting for ${id} (0 of 2 managers)`,
    );
  });

  it('exits 0 at once when a stack has nothing pending, and 1 for an unknown id', async () => {
    const empty = await runCli(['wait', '--stack', 'acme/app/nothing'], svc.env('carol'));
    expect(empty.code).toBe(0);
    expect(empty.err).toContain('no pending requests for acme/app/nothing');
    const unknown = await runCli(['wait', 'req_missing', '--timeout', '1s'], svc.env('carol'));
    expect(unknown.code).toBe(1);
    expect(unknown.err).toContain('[ERR_NOT_FOUND]');
  });

  it('needs ids or a stack', async () => {
    const { code, err } = await runCli(['wait'], svc.env('carol'));
    expect(code).toBe(1);
    expect(err).toContain('clearance wait: give request ids or --stack');
  });
});
