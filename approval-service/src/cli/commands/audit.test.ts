import { readFile, writeFile } from 'node:fs/promises';
import { ClearanceClient, ManualClock } from '@clearance/client';
import { createMemorySigner } from '../../tokens/approval-signer.js';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../domain/model.js';
import type { RequestView } from '@clearance/client';
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
  it('says when it verified the last entries from the journal, which audit.jsonl lacked', async () => {
    const file = join(svc.dataDir, 'audit.jsonl');
    const text = await readFile(file, 'utf8');
    const lines = text.split('\n').slice(0, -1);
    try {
      await writeFile(file, `${lines.slice(0, -1).join('\n')}\n`);
      const { code, out } = await runCli(['audit', 'verify', '--data-dir', svc.dataDir]);
      expect(code).toBe(0);
      expect(out).toContain(
        'note: the last 1 entry had not reached audit.jsonl (a crash); verified from journal.jsonl',
      );
    } finally {
      await writeFile(file, text);
    }
  });

  it('passes on an intact data directory (CLEARANCE_DATA_DIR or --data-dir)', async () => {
    const viaEnv = await runCli(['audit', 'verify'], { CLEARANCE_DATA_DIR: svc.dataDir });
    expect(viaEnv.code).toBe(0);
    expect(viaEnv.out).toMatch(/^audit trail intact: \d+ entries in /);
    const viaFlag = await runCli(['audit', 'verify', '--data-dir', svc.dataDir], {
      CLEARANCE_DATA_DIR: '/nonexistent',
    });
    expect(viaFlag.code).toBe(0);
  });

  it('checks the signed checkpoints, with the keys of --jwks only when given', async () => {
    const dir = join(svc.dataDir, '..');
    const recorded = await runCli(['audit', 'verify', '--data-dir', svc.dataDir]);
    expect(recorded.out).toContain(
      '1 signed checkpoint checked with the keys the data directory records, signed through seq 1',
    );
    const served = join(dir, 'served-jwks.json');
    await writeFile(served, JSON.stringify(await new ClearanceClient({ url: svc.url }).jwks()));
    const given = await runCli(['audit', 'verify', '--data-dir', svc.dataDir, '--jwks', served]);
    expect(given.code).toBe(0);
    expect(given.out).toContain('1 signed checkpoint checked with the keys given with --jwks');
    const other = await createMemorySigner({
      clock: new ManualClock(),
      maxTokenLifetimeSeconds: 60,
    });
    const foreign = join(dir, 'foreign-jwks.json');
    await writeFile(foreign, JSON.stringify(other.jwks()));
    const refused = await runCli(['audit', 'verify', '--data-dir', svc.dataDir, '--jwks', foreign]);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain(
      'forged: audit-checkpoints.log line 1: signed by a key that is not trusted',
    );
    await writeFile(foreign, '{"no": "keys"}');
    const bad = await runCli(['audit', 'verify', '--data-dir', svc.dataDir, '--jwks', foreign]);
    expect(bad.err).toContain('does not hold a JSON Web Key Set');
  });

  it('takes the checkpoints an anchor webhook received, as JWS or as the JSON bodies', async () => {
    const [jws] = (await readFile(join(svc.dataDir, 'audit-checkpoints.log'), 'utf8')).split('\n');
    const anchor = join(svc.dataDir, '..', 'anchor.jsonl');
    await writeFile(anchor, `${jws}\n\n${JSON.stringify({ checkpoint: { jws } })}\n`);
    const args = ['audit', 'verify', '--data-dir', svc.dataDir, '--anchor', anchor];
    expect((await runCli(args)).code).toBe(0);
    await writeFile(anchor, '{"type": "request.created"}\n');
    expect((await runCli(args)).err).toContain('--anchor: line 1 of');
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

  it('says so, with its own exit code, on a folder with no trail', async () => {
    const keys = join(svc.dataDir, 'keys');
    const { code, out, err } = await runCli(['audit', 'verify', '--data-dir', keys]);
    expect(code).toBe(3);
    expect(out).toBe('');
    expect(err).toBe(
      `no audit trail in ${keys}: neither db.json nor audit.jsonl is there (check --data-dir or CLEARANCE_DATA_DIR)\n`,
    );
    const missing = join(svc.dataDir, 'nonexistent');
    const json = await runCli(['audit', 'verify', '--json'], { CLEARANCE_DATA_DIR: missing });
    expect(json.code).toBe(3);
    expect(JSON.parse(json.out)).toMatchObject({ ok: false, noTrail: true });
  });

  it('documents its exit codes in --help', async () => {
    const { out } = await runCli(['audit', 'verify', '--help']);
    expect(out).toMatch(
      /Exit codes:\n {2}0 {2}the trail is intact\n {2}1 {2}the trail is NOT intact/,
    );
    expect(out).toContain('  3  there is no trail to verify');
  });
});
