import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Mutex } from '../service/mutex.js';
import { faultyFs } from '../store/faulty-fs.case.js';
import { openLowdbStore } from '../store/lowdb-store.js';
import type { AuditHead } from '../domain/audit-chain.js';
import { createMemoryStore } from '../store/memory-store.js';
import { makeAuditEvent as ev, makeStoredRequest as req } from '../store/store-fixtures.case.js';
import type { AuditCheckpointer } from './checkpointer.js';
import { withCheckpoints } from './checkpointing-store.js';

/** A checkpointer that only records the heads it hears of. */
function recordingCheckpointer(): { heads: number[]; checkpointer: AuditCheckpointer } {
  const heads: number[] = [];
  const checkpointer = {
    committed: async (head: AuditHead) => void heads.push(head.seq),
    close: async () => undefined,
  } as unknown as AuditCheckpointer;
  return { heads, checkpointer };
}

describe('withCheckpoints', () => {
  it('hands the head after each write to the checkpointer, one for several requests saved together', async () => {
    const { heads, checkpointer } = recordingCheckpointer();
    const store = withCheckpoints(createMemoryStore(), checkpointer, () => {});
    await store.saveRequest(req({ id: 'a' }), [ev({ subject: 'a' })]);
    await store.saveRequests([
      { request: req({ id: 'b' }), events: [ev({ subject: 'b' })] },
      { request: req({ id: 'c' }), events: [ev({ subject: 'c' })] },
    ]);
    await store.appendAudit([ev({ subject: 'x' })]);
    expect(heads).toEqual([1, 3, 4]);
  });

  it("hands out each of the store's other methods bound to it, the same function every time", async () => {
    const { checkpointer } = recordingCheckpointer();
    const store = withCheckpoints(createMemoryStore(), checkpointer, () => {});
    await store.saveRequest(req({ id: 'a' }), []);
    const { getRequest } = store;
    expect(store.getRequest).toBe(getRequest);
    expect((await getRequest('a'))?.id).toBe('a');
  });

  it('hands the head of a grouped section over once its changes are durable, and none of an undone one', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'clearance-checkpointing-'));
    const faults = faultyFs();
    const { heads, checkpointer } = recordingCheckpointer();
    const store = withCheckpoints(
      await openLowdbStore({ dataDir, fs: faults.fs, log: () => {} }),
      checkpointer,
      () => {},
    );
    try {
      const writes = new Mutex(store);
      const release = faults.hold('sync', 'journal.jsonl');
      const first = writes.run((s) => s.saveRequest(req({ id: 'a' }), [ev({ subject: 'a' })]));
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(heads).toEqual([]);
      release();
      await first;
      expect(heads).toEqual([1]);
      faults.arm('sync', 'journal.jsonl', 1);
      await expect(writes.run((s) => s.appendAudit([ev({ subject: 'b' })]))).rejects.toThrow();
      expect(heads).toEqual([1]);
    } finally {
      await store.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
