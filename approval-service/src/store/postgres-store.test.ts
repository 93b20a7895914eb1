import { describe, expect, it } from 'vitest';
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
