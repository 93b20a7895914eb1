import type { Pool } from 'pg';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS, migrate, schemaVersion } from './postgres-migrations.js';
import { postgresAvailable, usePostgresServer } from './postgres-server.case.js';

const available = postgresAvailable('postgres-migrations.test.ts');

describe.runIf(available)('PostgreSQL migrations', () => {
  const server = usePostgresServer();
  const latest = Math.max(...MIGRATIONS.map((m) => m.version));

  const withPools = async <T>(count: number, use: (pools: Pool[]) => Promise<T>) => {
    const url = await server().createDatabase();
    const { default: pg } = await import('pg');
    const pools = Array.from({ length: count }, () => new pg.Pool({ connectionString: url }));
    try {
      return await use(pools);
    } finally {
      await Promise.all(pools.map((p) => p.end()));
    }
  };

  it('applies every migration once when two replicas start at the same moment', async () => {
    await withPools(2, async ([a, b]) => {
      if (!a || !b) throw new Error('no pools');
      expect(await schemaVersion(a)).toBe(0);
      const results = await Promise.all([migrate(a), migrate(b)]);
      const applied = results.map((r) => r.applied).sort((x, y) => y.length - x.length);
      expect(applied).toEqual([MIGRATIONS.map((m) => m.version), []]);
      expect(results.map((r) => r.version)).toEqual([latest, latest]);
      expect(await schemaVersion(b)).toBe(latest);
      const { rows } = await a.query('SELECT count(*)::int AS n FROM clearance_write_lock');
      expect(rows[0]).toEqual({ n: 1 });
    });
  });

  it('applies only the migrations a database lacks, forward only', async () => {
    await withPools(1, async ([pool]) => {
      if (!pool) throw new Error('no pool');
      await migrate(pool, MIGRATIONS);
      const next = { version: latest + 1, name: 'test', sql: 'CREATE TABLE t_extra (x int)' };
      expect(await migrate(pool, [...MIGRATIONS, next])).toEqual({
        applied: [latest + 1],
        version: latest + 1,
      });
      // Code that does not know the newest migration refuses the database instead of using it.
      await expect(migrate(pool, MIGRATIONS)).rejects.toMatchObject({
        code: 'ERR_STORE',
        message: expect.stringContaining('upgrade Clearance'),
      });
    });
  });

  it('leaves nothing of a migration that fails', async () => {
    await withPools(1, async ([pool]) => {
      if (!pool) throw new Error('no pool');
      const broken = {
        version: 1,
        name: 'broken',
        sql: 'CREATE TABLE t_half (x int); SELECT nope',
      };
      await expect(migrate(pool, [broken])).rejects.toThrow();
      expect(await schemaVersion(pool)).toBe(0);
      const { rows } = await pool.query("SELECT to_regclass('t_half')::text AS t");
      expect(rows[0]).toEqual({ t: null });
    });
  });
});
