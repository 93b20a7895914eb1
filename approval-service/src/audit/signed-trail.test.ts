import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '@clearance/client';
import type { AuditEntry, AuditEvent } from '../domain/model.js';
import { openLowdbStore } from '../store/lowdb-store.js';
import { makeAuditEvent as ev } from '../store/store-fixtures.case.js';
import { AUDIT_FILE, DB_FILE, JOURNAL_FILE } from '../store/store-document.js';
import { createMemorySigner, type KeyringSigner } from '../tokens/approval-signer.js';
import { CHECKPOINT_FILE, CHECKPOINT_KEYS_FILE, type SignedCheckpoint } from './checkpoint.js';
import { AuditCheckpointer } from './checkpointer.js';
import { withCheckpoints } from './checkpointing-store.js';
import { verifyAuditDir, type AuditDirOptions } from '../service/verify-audit-dir.js';

let root: string;
let dataDir: string;
let clock: ManualClock;
let signer: KeyringSigner;
/** What the anchor webhook received. */
let anchored: SignedCheckpoint[];

/** Seven entries in four changes, signed every three entries and at close: checkpoints 3, 6, 7. */
async function writeSignedTrail(): Promise<void> {
  const store = await openLowdbStore({ dataDir });
  const checkpoints = await AuditCheckpointer.open(
    { dataDir, signer, clock, every: 3, onCheckpoint: (c) => anchored.push(c) },
    { seq: 0, hash: '0'.repeat(64) },
  );
  const signed = withCheckpoints(store, checkpoints, () => {});
  await signed.appendAudit([ev({ subject: 'r1' }), ev({ actor: 'alice', subject: 'r1' })]);
  await signed.appendAudit([ev({ actor: 'bob', action: 'review.approve', subject: 'r1' })]);
  await signed.appendAudit([ev({ subject: 'r2' }), ev({ subject: 'r3' }), ev({ subject: 'r4' })]);
  await signed.appendAudit([ev({ actor: 'system', action: 'token.issued', subject: 'r1' })]);
  await signed.close();
}

async function entries(): Promise<AuditEntry[]> {
  const text = await readFile(join(dataDir, AUDIT_FILE), 'utf8');
  return text
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as AuditEntry);
}

/**
 * What someone who can write the data directory but has no key can do: write a trail of their
 * own choosing through a store of their own, so that every hash, the journal and the head in
 * `db.json` are consistent, and put its files in place of the real ones.
 */
async function rewriteTrail(events: AuditEvent[]): Promise<void> {
  const forgery = join(root, 'forgery');
  const store = await openLowdbStore({ dataDir: forgery });
  await store.appendAudit(events);
  await store.close();
  for (const file of [DB_FILE, JOURNAL_FILE, AUDIT_FILE]) {
    await copyFile(join(forgery, file), join(dataDir, file));
  }
}

const asEvent = ({ seq: _s, prevHash: _p, hash: _h, ...event }: AuditEntry): AuditEvent => event;

const verify = (options: AuditDirOptions = {}) =>
  verifyAuditDir(dataDir, { requireSignatures: true, ...options });

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'clearance-signed-trail-'));
  dataDir = join(root, 'data');
  clock = new ManualClock('2026-01-05T09:00:00Z');
  signer = await createMemorySigner({ clock, maxTokenLifetimeSeconds: 3600 });
  anchored = [];
  await writeSignedTrail();
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('a signed audit trail', () => {
  it('verifies, with its checkpoints, against the data directory keys and the JWKS', async () => {
    expect(anchored.map((c) => c.seq)).toEqual([3, 6, 7]);
    for (const options of [{}, { jwks: signer.jwks() }]) {
      const result = await verify(options);
      expect(result.problems).toEqual([]);
      expect(result).toMatchObject({
        ok: true,
        count: 7,
        signatures: { checkpoints: 3, signedThrough: 7, unsigned: 0, notes: [] },
      });
    }
  });

  it('fails once re-hashed by someone without the key, which the hash chain alone let through', async () => {
    const forged = (await entries()).map(asEvent);
    forged[1] = { ...forged[1]!, actor: 'mallory' };
    await rewriteTrail(forged);
    // The hole this closes: without the checkpoints, the rewritten trail looks intact.
    await copyFile(join(dataDir, CHECKPOINT_FILE), join(root, 'checkpoints'));
    await rm(join(dataDir, CHECKPOINT_FILE));
    expect(await verifyAuditDir(dataDir)).toMatchObject({ ok: true, count: 7 });
    await copyFile(join(root, 'checkpoints'), join(dataDir, CHECKPOINT_FILE));

    const result = await verify();
    expect(result.ok).toBe(false);
    expect(result.problems.map((p) => [p.kind, p.message])).toEqual([
      [
        'edited',
        'the entry seq 3 differs from the one audit-checkpoints.log line 1 signed: the trail was rewritten after it was signed',
      ],
      [
        'edited',
        'the entry seq 6 differs from the one audit-checkpoints.log line 2 signed: the trail was rewritten after it was signed',
      ],
      [
        'edited',
        'the entry seq 7 differs from the one audit-checkpoints.log line 3 signed: the trail was rewritten after it was signed',
      ],
    ]);
  });

  it('fails when the checkpoints are deleted as well, since they are required', async () => {
    await rewriteTrail((await entries()).map(asEvent).toSpliced(2, 1));
    await rm(join(dataDir, CHECKPOINT_FILE));
    const result = await verify();
    expect(result.problems.map((p) => p.kind)).toEqual(['unsigned']);
    expect(result.problems[0]?.message).toMatch(
      /^no signed checkpoint covers the trail's 6 entries/,
    );
  });

  it('fails against the JWKS when re-signed with a key of the forger, and their keys put in place', async () => {
    const forged = (await entries()).map(asEvent);
    forged[1] = { ...forged[1]!, actor: 'mallory' };
    await rewriteTrail(forged);
    await rm(join(dataDir, CHECKPOINT_FILE));
    await rm(join(dataDir, CHECKPOINT_KEYS_FILE));
    const forger = await createMemorySigner({ clock, maxTokenLifetimeSeconds: 3600 });
    const head = forged.length;
    const resigned = await AuditCheckpointer.open(
      { dataDir, signer: forger, clock, every: 3 },
      { seq: head, hash: (await entries()).at(-1)!.hash },
    );
    await resigned.close();
    // The data directory's own keys are the forger's now: only keys kept elsewhere tell.
    expect((await verify()).ok).toBe(true);
    const result = await verify({ jwks: signer.jwks() });
    expect(result.problems.map((p) => p.kind)).toEqual(['forged', 'unsigned']);
    expect(result.problems[0]?.message).toMatch(
      /^audit-checkpoints.log line 1: signed by a key that is not trusted/,
    );
  });

  it('fails on a forged, removed or reordered checkpoint line', async () => {
    const path = join(dataDir, CHECKPOINT_FILE);
    const lines = (await readFile(path, 'utf8')).split('\n').filter(Boolean);
    const write = (list: string[]) => writeFile(path, list.map((l) => `${l}\n`).join(''));
    const [a, b, c] = lines as [string, string, string];
    const [header, payload, signature] = b.split('.') as [string, string, string];
    const bumped = Buffer.from(
      Buffer.from(payload, 'base64url').toString().replace('"seq":6', '"seq":5'),
    ).toString('base64url');
    await write([a, `${header}.${bumped}.${signature}`, c]);
    expect((await verify()).problems.map((p) => p.kind)).toEqual(['forged', 'deleted']);
    await write([a, c]);
    expect((await verify()).problems.map((p) => p.kind)).toEqual(['deleted']);
    await write([b, a, c]);
    expect((await verify()).problems.map((p) => p.kind)).toEqual([
      'deleted',
      'deleted',
      'reordered',
      'deleted',
    ]);
  });

  it('shows a tail cut off with its checkpoints only against the anchor', async () => {
    await rewriteTrail((await entries()).map(asEvent).slice(0, 4));
    const path = join(dataDir, CHECKPOINT_FILE);
    const [first] = (await readFile(path, 'utf8')).split('\n');
    await writeFile(path, `${first}\n`);
    const local = await verify();
    expect(local.ok).toBe(true);
    expect(local.signatures?.notes).toEqual([
      'the last 1 entries (seq 4..4) are not signed yet: only the hash chain protects them until the next checkpoint',
    ]);
    const last = anchored.at(-1)?.jws ?? '';
    const result = await verify({ anchored: [last] });
    expect(result.problems.map((p) => [p.kind, p.message])).toEqual([
      [
        'truncated',
        'anchored checkpoint 1 signs seq 7, but the trail ends at seq 4: entries were cut from the end, with their checkpoints',
      ],
    ]);
  });

  it('fails on a trail cut below a checkpoint that is still there', async () => {
    await rewriteTrail((await entries()).map(asEvent).slice(0, 5));
    expect((await verify()).problems.map((p) => [p.kind, p.message])).toEqual([
      [
        'truncated',
        'audit-checkpoints.log line 2 signs seq 6, but the trail ends at seq 5: entries were cut from the end',
      ],
      [
        'truncated',
        'audit-checkpoints.log line 3 signs seq 7, but the trail ends at seq 5: entries were cut from the end',
      ],
    ]);
  });
});
