import { describe, expect, it } from 'vitest';
import { canonicalJson, sha256Hex } from '@clearance/client';
import type { AuditEvent } from './model.js';
import { GENESIS_HASH, chainEntries, chainEntry, hashAuditEntry } from './audit-chain.js';

const event = (subject: string, data?: Record<string, unknown>): AuditEvent => ({
  time: '2025-03-01T10:00:00.000Z',
  actor: 'alice',
  action: 'request.created',
  subject,
  ...(data ? { data } : {}),
});

describe('chainEntry', () => {
  it('starts the trail at seq 1 after the genesis hash', () => {
    const entry = chainEntry(undefined, event('r1'));
    expect(entry.seq).toBe(1);
    expect(entry.prevHash).toBe(GENESIS_HASH);
    expect(GENESIS_HASH).toMatch(/^0{64}$/);
  });

  it('hashes the canonical JSON of every field but the hash itself', () => {
    const entry = chainEntry(undefined, event('r1', { b: 1, a: 'x' }));
    const { hash, ...body } = entry;
    expect(hash).toBe(sha256Hex(canonicalJson(body)));
    expect(hashAuditEntry(entry)).toBe(hash);
  });

  it('links each entry to the previous one', () => {
    const first = chainEntry(undefined, event('r1'));
    const second = chainEntry(first, event('r2'));
    expect(second.seq).toBe(2);
    expect(second.prevHash).toBe(first.hash);
    expect(second.hash).not.toBe(first.hash);
  });

  it('gives a different hash for the same event at another position', () => {
    const a = chainEntry({ seq: 4, hash: 'a'.repeat(64) }, event('r1'));
    const b = chainEntry({ seq: 4, hash: 'b'.repeat(64) }, event('r1'));
    expect(a.hash).not.toBe(b.hash);
  });

  it('stores data detached from the caller and without undefined members', () => {
    const data: Record<string, unknown> = { nested: { n: 1 }, gone: undefined };
    const entry = chainEntry(undefined, event('r1', data));
    (data.nested as { n: number }).n = 2;
    expect(entry.data).toEqual({ nested: { n: 1 } });
    expect(Object.keys(entry.data ?? {})).toEqual(['nested']);
    expect(hashAuditEntry(JSON.parse(JSON.stringify(entry)) as object)).toBe(entry.hash);
  });

  it('chains a batch in order', () => {
    const entries = chainEntries(undefined, [event('a'), event('b'), event('c')]);
    expect(entries.map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(entries[2]?.prevHash).toBe(entries[1]?.hash);
    expect(chainEntries(entries[2], [])).toEqual([]);
  });
});
