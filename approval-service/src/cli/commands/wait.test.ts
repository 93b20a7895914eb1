import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
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
    expect(err).toContain('clearance wait: give request ids, --run, --since-preview or --stack');
  });
});

describe('clearance wait --run and --since-preview', () => {
  const fixture = fileURLToPath(
    new URL('../../preview-gate/fixtures/delete-database.json', import.meta.url),
  );
  const stack = 'wait-runs/aws-prod-database/prod';

  it("waits on its run's requests only: others' denials and stale requests on the stack do not count", async () => {
    const stale = await openRequest(stack);
    const other = await openRequest(stack);
    await runCli(['deny', other, '--reason', 'not this one'], svc.env('bob'));
    const dir = await mkdtemp(join(tmpdir(), 'clearance-wait-'));
    const gate = await runCli(
      ['gate-preview', fixture, '--stack', stack, '--run-id', 'gh-77-1'],
      svc.env('carol'),
    );
    const saved = join(dir, 'gate.txt');
    await writeFile(saved, gate.out);
    const mine = /\/requests\/(\S+)/.exec(gate.out)?.[1] ?? '';
    const byRun = startWait(['--run', 'gh-77-1', '--print-tokens']);
    const byFile = startWait(['--since-preview', saved, '--stack', stack]);
    await seen(byRun.io, `0/1 decided, waiting for ${mine}`);
    await seen(byFile.io, `0/1 decided, waiting for ${mine}`);
    for (const user of ['alice', 'bob'] as const)
      await runCli(['approve', mine, '--reason', 'ok'], svc.env(user));
    expect(await byRun.code).toBe(0);
    expect(await byFile.code).toBe(0);
    expect(byRun.io.out()).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);
    expect(byRun.io.err()).not.toContain(stale);
    // The whole stack still fails on the other denial, as before.
    const whole = await runCli(['wait', '--stack', stack, '--timeout', '1s'], svc.env('carol'));
    expect(whole.err).not.toContain(other);
    expect(whole.err).toContain(stale);
    await rm(dir, { recursive: true, force: true });
  });

  it('says when a run has no request, and when a saved output names no run or is missing', async () => {
    const none = await runCli(['wait', '--run', 'gh-0-1', '--print-tokens'], svc.env('carol'));
    expect(none.code).toBe(0);
    expect(none.err).toContain('no requests for run gh-0-1');
    expect(none.out).toBe('\n');
    const dir = await mkdtemp(join(tmpdir(), 'clearance-wait-'));
    const plain = join(dir, 'pack.txt');
    await writeFile(plain, 'Previewing update (prod)\n');
    // Nothing in that preview needed an approval: nothing to wait for, not the whole stack.
    const nothing = await runCli(
      ['wait', '--since-preview', plain, '--stack', stack],
      svc.env('carol'),
    );
    expect(nothing.code).toBe(0);
    expect(nothing.err).toContain(`${plain} names no Clearance run: no request to wait for there`);
    const missing = await runCli(
      ['wait', '--since-preview', join(dir, 'nope.txt')],
      svc.env('carol'),
    );
    expect(missing.code).toBe(1);
    expect(missing.err).toContain('nope.txt: no such file');
    await rm(dir, { recursive: true, force: true });
  });
});
