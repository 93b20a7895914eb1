import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../domain/model.js';
import type { RequestView } from '../../client/api.js';
import { runCli } from '../test-io.case.js';
import { requestArgs, startTestService, type TestService } from '../test-service.case.js';

let svc: TestService;
let id: string;

beforeAll(async () => {
  svc = await startTestService();
  const { out } = await runCli([...requestArgs(), '--json'], svc.env('carol'));
  id = (JSON.parse(out) as RequestView).id;
  await runCli(['approve', id, '--reason', 'ok'], svc.env('alice'));
  await runCli(['deny', id, '--reason', 'no'], svc.env('bob'));
});
afterAll(() => svc.close());

describe('clearance audit export', () => {
  it('prints the trail as JSON Lines, filtered', async () => {
    const { code, out } = await runCli(['audit', 'export'], svc.env('alice'));
    expect(code).toBe(0);
    const entries = out
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as AuditEntry);
    expect(entries.map((e) => e.seq)).toEqual(entries.map((_, i) => i + 1));
    expect(entries.map((e) => e.action)).toEqual(
      expect.arrayContaining(['request.created', 'review.approve', 'review.deny']),
    );
    const mine = await runCli(
      ['audit', 'export', '--subject', id, '--action', 'review.deny'],
      svc.env('bob'),
    );
    const filtered = mine.out
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as AuditEntry);
    expect(filtered.map((e) => [e.actor, e.action])).toEqual([['bob', 'review.deny']]);
  });

  it('reports a filter the service refuses', async () => {
    const { code, err } = await runCli(
      ['audit', 'export', '--since', 'yesterday'],
      svc.env('alice'),
    );
    expect(code).toBe(1);
    expect(err).toContain('[ERR_VALIDATION]');
  });

  it('is refused to a requester, in plain words', async () => {
    const { code, out, err } = await runCli(['audit', 'export'], svc.env('carol'));
    expect(code).toBe(1);
    expect(out).toBe('');
    expect(err).toBe(
      'clearance audit export: only auditors and approvers may read the audit trail (see auditorGroups in the service config) [ERR_FORBIDDEN]\n',
    );
  });
});

describe('clearance audit verify', () => {
  it('passes on an intact data directory (CLEARANCE_DATA_DIR or --data-dir)', async () => {
    const viaEnv = await runCli(['audit', 'verify'], { CLEARANCE_DATA_DIR: svc.dataDir });
    expect(viaEnv.code).toBe(0);
    expect(viaEnv.out).toMatch(/^audit trail intact: \d+ entries in /);
    const viaFlag = await runCli(['audit', 'verify', '--data-dir', svc.dataDir], {
      CLEARANCE_DATA_DIR: '/nonexistent',
    });
    expect(viaFlag.code).toBe(0);
  });

  it('fails on a tampered line, saying which', async () => {
    await svc.stop();
    const path = join(svc.dataDir, 'audit.jsonl');
    const lines = (await readFile(path, 'utf8')).split('\n');
    lines[1] = (lines[1] ?? '').replace('"actor":"', '"actor":"x');
    await writeFile(path, lines.join('\n'));
    const { code, out, err } = await runCli(['audit', 'verify', '--data-dir', svc.dataDir]);
    expect(code).toBe(1);
    expect(out).toBe('');
    expect(err).toMatch(/^audit trail NOT intact: \d+ problems? in /);
    expect(err).toContain('edited: line 2');
  });

  it('fails on a directory that holds no store', async () => {
    const { code, err } = await runCli([
      'audit',
      'verify',
      '--data-dir',
      join(svc.dataDir, 'keys'),
    ]);
    expect(code).toBe(1);
    expect(err).toContain('not a store');
  });
});
