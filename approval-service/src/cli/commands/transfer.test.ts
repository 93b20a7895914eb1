import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../test-io.case.js';
import { requestArgs, startTestService, type TestService } from '../test-service.case.js';

let svc: TestService;
let scratch: string;

beforeAll(async () => {
  svc = await startTestService();
  const requested = await runCli(requestArgs(), svc.env('carol'));
  expect(requested.code).toBe(0);
  await svc.stop();
  scratch = await mkdtemp(join(tmpdir(), 'clearance-transfer-'));
});
afterAll(async () => {
  await svc.close();
  await rm(scratch, { recursive: true, force: true });
});

describe('clearance export and import between embedded data directories', () => {
  it('say which flag is missing, in one line', async () => {
    const exported = await runCli(['export', '--data-dir', svc.dataDir]);
    expect(exported.code).toBe(1);
    expect(exported.err.trim().split('\n')[0]).toContain('--to DIR');
    const imported = await runCli(['import', '--data-dir', svc.dataDir]);
    expect(imported.code).toBe(1);
    expect(imported.err.trim().split('\n')[0]).toContain('--from DIR');
  });

  it('refuse to import a data directory into itself', async () => {
    const { code, err } = await runCli([
      'import',
      '--from',
      svc.dataDir,
      '--data-dir',
      svc.dataDir,
    ]);
    expect(code).toBe(1);
    expect(err).toContain('nothing to import');
  });

  it('copy the store out and back in, and the trail still verifies', async () => {
    const out = join(scratch, 'out');
    const exported = await runCli(['export', '--to', out, '--data-dir', svc.dataDir]);
    expect(exported.err).toBe('');
    expect(exported.out).toMatch(/^Exported 1 requests and \d+ audit entries to /);
    const back = join(scratch, 'back');
    const imported = await runCli(['import', '--from', out, '--data-dir', back]);
    expect(imported.out).toMatch(/^Imported 1 requests and \d+ audit entries from /);
    const verified = await runCli(['audit', 'verify', '--data-dir', back]);
    expect(verified.code).toBe(0);
  });
});
