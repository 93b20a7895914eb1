import { appendFile, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isClearanceError, ManualClock } from '@clearance/client';
import { sha256Hex } from '@clearance/client';
import { createMemorySigner, type KeyringSigner } from '../tokens/approval-signer.js';
import type { AuditHead } from '../domain/audit-chain.js';
import {
  CHECKPOINT_FILE,
  CHECKPOINT_KEYS_FILE,
  checkpointDigest,
  type SignedCheckpoint,
} from './checkpoint.js';
import { AuditCheckpointer } from './checkpointer.js';

let dataDir: string;
let clock: ManualClock;
let signer: KeyringSigner;
beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'clearance-checkpoints-'));
  clock = new ManualClock('2026-01-05T09:00:00Z');
  signer = await createMemorySigner({ clock, maxTokenLifetimeSeconds: 3600 });
});
afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

const head = (seq: number): AuditHead => ({ seq, hash: sha256Hex(`entry ${seq}`) });

async function lines(): Promise<string[]> {
  const text = await readFile(join(dataDir, CHECKPOINT_FILE), 'utf8');
  return text.split('\n').filter(Boolean);
}

function open(at: AuditHead, anchored: SignedCheckpoint[] = [], every = 3) {
  return AuditCheckpointer.open(
    { dataDir, signer, clock, every, onCheckpoint: (c) => anchored.push(c) },
    at,
  );
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'opened';
  } catch (err) {
    return isClearanceError(err) ? `${err.code}: ${err.message}` : String(err);
  }
}

describe('AuditCheckpointer', () => {
  it('signs once N entries are unsigned, chaining each checkpoint to the one before', async () => {
    const anchored: SignedCheckpoint[] = [];
    const checkpoints = await open(head(0), anchored);
    expect(anchored).toEqual([]);
    await checkpoints.committed(head(2));
    expect(anchored).toEqual([]);
    await checkpoints.committed(head(3));
    clock.advanceSeconds(60);
    await checkpoints.committed(head(5));
    await checkpoints.committed(head(7));
    expect(anchored.map((c) => c.seq)).toEqual([3, 7]);
    await checkpoints.close();
    await checkpoints.close();
    expect(anchored.map((c) => [c.seq, c.hash])).toEqual([
      [3, head(3).hash],
      [7, head(7).hash],
    ]);
    expect(anchored[0]).toMatchObject({ prev: '0'.repeat(64), every: 3, kid: signer.kid });
    expect(anchored[1]?.prev).toBe(checkpointDigest(anchored[0]?.jws ?? ''));
    expect(anchored[1]?.time).toBe('2026-01-05T09:01:00.000Z');
    expect(await lines()).toEqual(anchored.map((c) => c.jws));
    expect((await stat(join(dataDir, CHECKPOINT_FILE))).mode & 0o777).toBe(0o600);
    const keys = JSON.parse(await readFile(join(dataDir, CHECKPOINT_KEYS_FILE), 'utf8')) as {
      keys: { kid: string; d?: string }[];
    };
    expect(keys.keys.map((k) => k.kid)).toEqual([signer.kid]);
    expect(keys.keys[0]?.d).toBeUndefined();
  });

  it('signs what is left at close, and nothing when everything is signed', async () => {
    const anchored: SignedCheckpoint[] = [];
    const checkpoints = await open(head(0), anchored, 100);
    await checkpoints.committed(head(4));
    await checkpoints.close();
    expect(anchored.map((c) => c.seq)).toEqual([4]);
    const again = await open(head(4), anchored, 100);
    await again.close();
    expect(anchored.map((c) => c.seq)).toEqual([4]);
  });

  it('signs at open when the trail moved since the last checkpoint', async () => {
    const anchored: SignedCheckpoint[] = [];
    await (await open(head(3), anchored)).close();
    const reopened = await open(head(5), anchored);
    expect(anchored.map((c) => c.seq)).toEqual([3, 5]);
    expect(reopened.last?.seq).toBe(5);
    await reopened.close();
  });

  it('refuses to go on with a trail that ends before its last checkpoint, or differs from it', async () => {
    await (await open(head(6))).close();
    expect(await codeOf(open(head(4)))).toBe(
      'ERR_AUDIT_CHECKPOINT_INVALID: the audit trail ends at seq 4, before its last signed checkpoint (seq 6): entries were removed. The files were left untouched; run `clearance audit verify` for details.',
    );
    expect(await codeOf(open({ seq: 6, hash: 'e'.repeat(64) }))).toMatch(
      /^ERR_AUDIT_CHECKPOINT_INVALID: the last audit entry \(seq 6\) differs from the one audit-checkpoints.log line 1 signed/,
    );
    expect(await lines()).toHaveLength(1);
  });

  it('refuses a last checkpoint signed by another key', async () => {
    const other = await createMemorySigner({ clock, maxTokenLifetimeSeconds: 3600 });
    const forged = await AuditCheckpointer.open(
      { dataDir, signer: other, clock, every: 3 },
      head(2),
    );
    await forged.close();
    await rm(join(dataDir, CHECKPOINT_KEYS_FILE));
    expect(await codeOf(open(head(2)))).toMatch(
      /^ERR_AUDIT_CHECKPOINT_INVALID: audit-checkpoints.log line 1: signed by a key that is not trusted/,
    );
  });

  it('cuts off a line a crash left unfinished, and goes on from the line before', async () => {
    const anchored: SignedCheckpoint[] = [];
    await (await open(head(3), anchored)).close();
    await appendFile(join(dataDir, CHECKPOINT_FILE), 'eyJhbGciOiJFZERTQSJ9.eyJ2Ij');
    const log: string[] = [];
    const reopened = await AuditCheckpointer.open(
      {
        dataDir,
        signer,
        clock,
        every: 3,
        log: (l) => log.push(l),
        onCheckpoint: (c) => anchored.push(c),
      },
      head(4),
    );
    await reopened.close();
    expect(log).toEqual([`${CHECKPOINT_FILE}: cut an unfinished last line (an interrupted write)`]);
    expect(await lines()).toEqual(anchored.map((c) => c.jws));
    expect(anchored[1]?.prev).toBe(checkpointDigest(anchored[0]?.jws ?? ''));
  });

  it('keeps the public key of every key that signed, after a rotation', async () => {
    await (await open(head(1))).close();
    const first = signer.kid;
    await signer.rotate();
    await (await open(head(2))).close();
    const keys = JSON.parse(await readFile(join(dataDir, CHECKPOINT_KEYS_FILE), 'utf8')) as {
      keys: { kid: string }[];
    };
    expect(keys.keys.map((k) => k.kid)).toEqual([first, signer.kid]);
  });
});

describe('signedNow', () => {
  it('signs the head it is given when it has not heard of it, and every line it hands out', async () => {
    const checkpointer = await open(head(0), [], 100);
    await checkpointer.committed(head(2));
    const first = await checkpointer.signedNow();
    expect(first.lines.length).toBe(1);
    const second = await checkpointer.signedNow(head(5));
    expect(second.lines.length).toBe(2);
    const last = JSON.parse(
      Buffer.from(second.lines[1]!.split('.')[1]!, 'base64url').toString('utf8'),
    ) as { seq: number; hash: string };
    expect(last).toMatchObject({ seq: 5, hash: head(5).hash });
    expect((await checkpointer.signedNow(head(4))).lines.length).toBe(2);
    await checkpointer.close();
  });
});
