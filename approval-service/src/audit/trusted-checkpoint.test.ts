import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock, sha256Hex } from '@clearance/client';
import { createMemorySigner } from '../tokens/approval-signer.js';
import { CHECKPOINT_FILE, CHECKPOINT_KEYS_FILE } from './checkpoint.js';
import { AuditCheckpointer } from './checkpointer.js';
import { lastSignedCheckpoint } from './trusted-checkpoint.js';

let dataDir: string;
beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'clearance-trusted-'));
});
afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

const head = (seq: number) => ({ seq, hash: sha256Hex(`entry ${seq}`) });

async function signAt(...seqs: number[]): Promise<void> {
  const clock = new ManualClock('2026-01-05T09:00:00Z');
  const signer = await createMemorySigner({ clock, maxTokenLifetimeSeconds: 3600 });
  const checkpointer = await AuditCheckpointer.open(
    { dataDir, signer, clock, every: 1 },
    head(seqs[0]!),
  );
  for (const seq of seqs.slice(1)) await checkpointer.committed(head(seq));
  await checkpointer.close();
}

describe('lastSignedCheckpoint', () => {
  it('answers the entry the last checkpoint signed, once it verifies with the recorded keys', async () => {
    expect(await lastSignedCheckpoint(dataDir)).toBeUndefined();
    await signAt(2, 5);
    expect(await lastSignedCheckpoint(dataDir)).toEqual(head(5));
  });

  it('answers nothing for a checkpoint no recorded key signed, or without the keys file', async () => {
    await signAt(2, 5);
    const original = await readFile(join(dataDir, CHECKPOINT_FILE), 'utf8');
    const lines = original.trimEnd().split('\n');
    const [header, payload, signature] = lines.at(-1)!.split('.');
    const forged = `${header}.${payload}.${signature!.slice(0, -4)}AAAA`;
    await writeFile(
      join(dataDir, CHECKPOINT_FILE),
      `${[...lines.slice(0, -1), forged].join('\n')}\n`,
    );
    expect(await lastSignedCheckpoint(dataDir)).toBeUndefined();
    await writeFile(join(dataDir, CHECKPOINT_FILE), original);
    expect(await lastSignedCheckpoint(dataDir)).toEqual(head(5));
    await rm(join(dataDir, CHECKPOINT_KEYS_FILE));
    expect(await lastSignedCheckpoint(dataDir)).toBeUndefined();
  });
});
