import { createLocalJWKSet } from 'jose';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '@clearance/client';
import { checkpointDigest, FIRST_CHECKPOINT_PREV, verifyCheckpoint } from '../audit/checkpoint.js';
import { AuditCheckpointer } from '../audit/checkpointer.js';
import { sharedCheckpoints } from '../audit/checkpoint-storage.js';
import type { AuditEntry } from '../domain/model.js';
import { createMemorySigner } from '../tokens/approval-signer.js';
import type { PostgresStore } from './postgres-store.js';
import { openPostgresStore } from './postgres-store.js';
import { postgresAvailable, usePostgresServer } from './postgres-server.case.js';
import { runStoreContract } from './store.case.js';
import { makeAuditEvent as ev, makeStoredRequest as req } from './store-fixtures.case.js';

const available = postgresAvailable('postgres-store.test.ts');
const quiet = () => {};

describe.runIf(available)('PostgreSQL store', () => {
  const server = usePostgresServer();

  runStoreContract('postgres', async () => {
    const url = await server().createDatabase();
    return {
      store: await openPostgresStore({ url, log: quiet }),
      reopen: () => openPostgresStore({ url, log: quiet }),
      cleanup: async () => {},
    };
  });

  it('names host and database when it cannot connect, never the password', async () => {
    const url = `postgres://clearance:s3cret-pw@127.0.0.1:${server().port + 1}/approvals`;
    const opening = openPostgresStore({ url, timeoutMs: 2_000, log: quiet });
    await expect(opening).rejects.toMatchObject({ code: 'ERR_STORE' });
    const err = (await opening.catch((e: unknown) => e)) as Error;
    expect(err.message).toContain(`127.0.0.1:${server().port + 1}/approvals`);
    expect(err.message).not.toContain('s3cret-pw');
    expect(JSON.stringify(err)).not.toContain('s3cret-pw');
  });

  it('keeps the audit trail one chain when two stores on one database write at once', async () => {
    const url = await server().createDatabase();
    const [a, b] = await Promise.all([
      openPostgresStore({ url, log: quiet }),
      openPostgresStore({ url, log: quiet }),
    ]);
    try {
      await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          (i % 2 === 0 ? a : b).saveRequest(req({ id: `r${i}` }), [
            ev({ subject: `r${i}` }),
            ev({ action: 'token.issued', subject: `r${i}` }),
          ]),
        ),
      );
      const trail = await a.readAudit();
      expect(trail.map((e) => e.seq)).toEqual(Array.from({ length: 80 }, (_, i) => i + 1));
      trail.forEach((entry, i) => {
        if (i > 0) expect(entry.prevHash).toBe(trail[i - 1]?.hash);
      });
      expect(await b.listRequests()).toHaveLength(40);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('signs one chain of checkpoints from two stores on one database, never behind the last one', async () => {
    const url = await server().createDatabase();
    const [a, b] = await Promise.all([
      openPostgresStore({ url, log: quiet }),
      openPostgresStore({ url, log: quiet }),
    ]);
    const clock = new ManualClock('2026-01-05T09:00:00Z');
    const signer = await createMemorySigner({ clock, maxTokenLifetimeSeconds: 3600 });
    const checkpointer = async (store: PostgresStore) =>
      AuditCheckpointer.open(
        {
          dataDir: '/nonexistent',
          storage: sharedCheckpoints(store.checkpoints),
          signer,
          clock,
          every: 3,
        },
        await store.auditHead(),
      );
    const headOf = (entries: AuditEntry[]) => {
      const last = entries.at(-1);
      if (!last) throw new Error('nothing appended');
      return { seq: last.seq, hash: last.hash };
    };
    const [ca, cb] = [await checkpointer(a), await checkpointer(b)];
    try {
      // a hears of seq 3 only after b wrote and signed seq 6: it signs nothing behind it.
      const early = await a.appendAudit([ev(), ev(), ev()]);
      await cb.committed(headOf(await b.appendAudit([ev(), ev(), ev()])));
      await ca.committed(headOf(early));
      const first = await a.checkpoints.read();
      expect(first.lines).toHaveLength(1);
      expect(ca.last?.seq).toBe(6);
      // Both at once, over and over.
      await Promise.all(
        Array.from({ length: 20 }, async (_, i) => {
          const [store, checkpoints] = i % 2 === 0 ? [a, ca] : [b, cb];
          await checkpoints.committed(headOf(await store.appendAudit([ev(), ev()])));
        }),
      );
      await Promise.all([ca.close(), cb.close()]);
      const { lines, keys } = await b.checkpoints.read();
      const trusted = createLocalJWKSet(keys);
      const signed = await Promise.all(lines.map((jws) => verifyCheckpoint(jws, trusted)));
      expect(signed.map((c) => c.prev)).toEqual([
        FIRST_CHECKPOINT_PREV,
        ...lines.slice(0, -1).map(checkpointDigest),
      ]);
      const seqs = signed.map((c) => c.seq);
      expect(seqs[0]).toBe(6);
      seqs.slice(1).forEach((seq, i) => expect(seq).toBeGreaterThan(seqs[i] ?? Infinity));
      expect(seqs.at(-1)).toBe(46);
      const trail = new Map((await a.readAudit()).map((e) => [e.seq, e.hash]));
      signed.forEach((c) => expect(c.hash).toBe(trail.get(c.seq)));
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('applies nothing of an exclusive section that fails', async () => {
    const url = await server().createDatabase();
    const store = await openPostgresStore({ url, log: quiet });
    try {
      const exclusive = store.exclusive?.bind(store);
      if (!exclusive) throw new Error('no exclusive()');
      await expect(
        exclusive(async () => {
          await store.saveRequest(req(), [ev()]);
          expect(await store.getRequest('req-1')).toBeDefined();
          throw new Error('boom');
        }),
      ).rejects.toThrow('boom');
      expect(await store.getRequest('req-1')).toBeUndefined();
      expect(await store.readAudit()).toEqual([]);
    } finally {
      await store.close();
    }
  });
});
