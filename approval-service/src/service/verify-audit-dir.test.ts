import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openLowdbStore } from '../store/lowdb-store.js';
import { makeAuditEvent as ev, makeStoredRequest as req } from '../store/store-fixtures.case.js';
import { hashAuditEntry } from '../domain/audit-chain.js';
import { verifyAuditDir } from './verify-audit-dir.js';

describe('verifyAuditDir', () => {
  let dataDir: string;
  const auditFile = () => join(dataDir, 'audit.jsonl');
  const lines = async () => (await readFile(auditFile(), 'utf8')).split('\n').slice(0, -1);
  const writeLines = (list: string[]) => writeFile(auditFile(), list.map((l) => `${l}\n`).join(''));
  const kinds = async () => (await verifyAuditDir(dataDir)).problems.map((p) => [p.line, p.kind]);

  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'clearance-verify-'));
    const store = await openLowdbStore({ dataDir });
    await store.saveRequest(req({ id: 'r1' }), [ev({ subject: 'r1' })]);
    await store.saveRequest(req({ id: 'r1', status: 'approved' }), [
      ev({ actor: 'alice', action: 'review.approve', subject: 'r1' }),
      ev({ actor: 'bob', action: 'review.approve', subject: 'r1' }),
      ev({ actor: 'system', action: 'token.issued', subject: 'r1', data: { tokenId: 't1' } }),
    ]);
    await store.close();
  });
  afterEach(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('passes an untouched store and reports its head, also while the store is open', async () => {
    const result = await verifyAuditDir(dataDir);
    expect(result).toMatchObject({ ok: true, count: 4, problems: [], head: { seq: 4 } });
    const store = await openLowdbStore({ dataDir });
    expect((await verifyAuditDir(dataDir)).ok).toBe(true);
    await store.close();
  });

  it('detects a tampered line', async () => {
    const list = await lines();
    list[1] = (list[1] ?? '').replace('"alice"', '"mallory"');
    await writeLines(list);
    expect(await kinds()).toEqual([[2, 'edited']]);
  });

  it('detects a tampered line whose hash was recomputed', async () => {
    const list = await lines();
    const entry = JSON.parse(list[1] ?? '') as Record<string, unknown>;
    entry.actor = 'mallory';
    entry.hash = hashAuditEntry(entry);
    list[1] = JSON.stringify(entry);
    await writeLines(list);
    expect(await kinds()).toEqual([[3, 'edited']]);
  });

  it('detects a deleted, a reordered and a truncated trail', async () => {
    const list = await lines();
    await writeLines(list.toSpliced(1, 1));
    expect(await kinds()).toEqual([[2, 'deleted']]);
    await writeLines([list[0], list[2], list[1], list[3]] as string[]);
    expect(await kinds()).toEqual([[2, 'reordered']]);
    // Cut where the journal no longer holds the entries (lines of the older format hold none).
    const journal = join(dataDir, 'journal.jsonl');
    const records = (await readFile(journal, 'utf8')).split('\n').slice(0, -1);
    const withoutEntries = records.map((line) => {
      const { entries: _, ...rest } = JSON.parse(line) as Record<string, unknown>;
      return `${JSON.stringify(rest)}\n`;
    });
    await writeFile(journal, withoutEntries.join(''));
    await writeLines(list.slice(0, 3));
    expect(await kinds()).toEqual([[0, 'truncated']]);
    await writeFile(auditFile(), `${list.slice(0, 3).join('\n')}\n${(list[3] ?? '').slice(0, 30)}`);
    expect(await kinds()).toEqual([
      [4, 'truncated'],
      [0, 'truncated'],
    ]);
  });

  it('verifies from the journal the last entries audit.jsonl lacks, and says so', async () => {
    const list = await lines();
    await writeFile(auditFile(), `${list.slice(0, 2).join('\n')}\n${(list[2] ?? '').slice(0, 30)}`);
    expect(await verifyAuditDir(dataDir)).toMatchObject({
      ok: true,
      count: 4,
      fromJournal: 2,
      problems: [],
    });
    // An audit.jsonl that never reached the disk at all: every entry from the journal.
    await rm(auditFile());
    expect(await verifyAuditDir(dataDir)).toMatchObject({ ok: true, count: 4, fromJournal: 4 });
    // What the journal holds must still chain on from the file.
    const edited = list.slice(0, 2);
    edited[1] = (edited[1] ?? '').replace('"alice"', '"mallory"');
    await writeLines(edited);
    expect((await verifyAuditDir(dataDir)).ok).toBe(false);
    // The store writes them back when it next opens.
    await writeLines(list.slice(0, 2));
    await (await openLowdbStore({ dataDir, log: () => undefined })).close();
    expect(await lines()).toEqual(list);
    expect(await verifyAuditDir(dataDir)).not.toHaveProperty('fromJournal');
  });

  it('checks against the head of the journal, and reports a journal it cannot read', async () => {
    const journal = join(dataDir, 'journal.jsonl');
    const text = await readFile(journal, 'utf8');
    await writeFile(journal, text.split('\n').slice(0, 1).join('\n') + '\n');
    expect(await kinds()).toEqual([[0, 'unanchored']]);
    await writeFile(journal, `not json\n${text}`);
    const result = await verifyAuditDir(dataDir);
    expect(result.problems).toEqual([
      { line: 0, kind: 'missing', message: expect.stringContaining('journal.jsonl') },
    ]);
    expect(result.count).toBe(4);
  });

  it('reports a missing db.json, a missing trail and a directory that holds no store', async () => {
    await rm(join(dataDir, 'db.json'));
    expect(await verifyAuditDir(dataDir)).toMatchObject({
      ok: false,
      count: 4,
      problems: [{ kind: 'missing' }],
    });
    await rm(auditFile());
    expect(await kinds()).toEqual([[0, 'missing']]);
    await rm(join(dataDir, 'journal.jsonl'));
    const store = await openLowdbStore({ dataDir });
    await store.close();
    await rm(auditFile());
    expect(await verifyAuditDir(dataDir)).toMatchObject({ ok: true, count: 0 });
  });

  it('tells a directory with no trail at all apart from a trail that fails', async () => {
    const empty = join(dataDir, 'empty');
    await mkdir(empty);
    for (const dir of [empty, join(dataDir, 'nonexistent')]) {
      const result = await verifyAuditDir(dir, { requireSignatures: true });
      expect(result).toMatchObject({ ok: false, noTrail: true, count: 0 });
      expect(result.problems[0]?.message).toMatch(/^no audit trail here/);
    }
    await rm(auditFile());
    await rm(join(dataDir, 'db.json'));
    await rm(join(dataDir, 'journal.jsonl'));
    await writeFile(join(dataDir, 'audit-checkpoints.log'), 'a.b.c\n');
    const gone = await verifyAuditDir(dataDir);
    expect(gone.noTrail).toBeUndefined();
    expect(gone.problems).toContainEqual({
      line: 0,
      kind: 'deleted',
      message: 'the trail is gone but 1 signed checkpoint of it remains: it was deleted',
    });
  });
});
