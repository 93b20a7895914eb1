import type { Pool } from 'pg';
import { ClearanceError } from '@clearance/client';

/** One forward-only step of the schema. Never edit a released one: add the next. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/**
 * The schema of the PostgreSQL store, in order. Requests and audit entries keep their JSON as
 * written (`json`, not `jsonb`, so keys keep their order); the columns beside it are what the
 * queries filter and sort on. `clearance_write_lock` holds the one row every write locks.
 * `clearance_audit_checkpoints` keeps the signed checkpoints in order (`n`), each with `prev`,
 * the SHA-256 of the one before it, unique: no two checkpoints follow the same one.
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'requests, audit trail and write lock',
    sql: `
      CREATE TABLE clearance_requests (
        id text PRIMARY KEY,
        stack text NOT NULL,
        urn text NOT NULL,
        policy text NOT NULL,
        fingerprint text NOT NULL,
        status text NOT NULL,
        created_ms double precision,
        first_saved bigserial NOT NULL,
        blocked_runs text[] NOT NULL DEFAULT '{}',
        doc json NOT NULL
      );
      CREATE INDEX clearance_requests_key
        ON clearance_requests (stack, urn, policy, fingerprint, created_ms DESC, first_saved DESC);
      CREATE INDEX clearance_requests_newest ON clearance_requests (created_ms DESC, first_saved DESC);
      CREATE TABLE clearance_audit (
        seq bigint PRIMARY KEY,
        time_ms double precision,
        actor text NOT NULL,
        action text NOT NULL,
        subject text NOT NULL,
        entry json NOT NULL
      );
      CREATE TABLE clearance_write_lock (id integer PRIMARY KEY CHECK (id = 1));
      INSERT INTO clearance_write_lock (id) VALUES (1);
    `,
  },
  {
    version: 2,
    name: 'console sessions',
    sql: `
      CREATE TABLE clearance_sessions (
        id_sha256 text PRIMARY KEY,
        expires_ms double precision NOT NULL,
        doc json NOT NULL
      );
      CREATE INDEX clearance_sessions_expiry ON clearance_sessions (expires_ms);
    `,
  },
  {
    version: 3,
    name: 'keys the replicas share',
    sql: `
      CREATE TABLE clearance_shared_keys (
        name text PRIMARY KEY,
        key bytea NOT NULL
      );
    `,
  },
  {
    version: 4,
    name: 'single sign-ons under way',
    sql: `
      CREATE TABLE clearance_sign_ins (
        id_sha256 text PRIMARY KEY,
        expires_ms double precision NOT NULL,
        doc json NOT NULL
      );
      CREATE INDEX clearance_sign_ins_expiry ON clearance_sign_ins (expires_ms);
    `,
  },
  {
    version: 5,
    name: 'webhook deliveries still to send',
    sql: `
      CREATE TABLE clearance_webhook_deliveries (
        id text PRIMARY KEY,
        queued bigserial NOT NULL,
        due_ms double precision NOT NULL,
        attempts integer NOT NULL DEFAULT 0,
        owner text,
        lease_ms double precision,
        doc json NOT NULL
      );
      CREATE INDEX clearance_webhook_deliveries_due ON clearance_webhook_deliveries (due_ms, queued);
    `,
  },
  {
    version: 6,
    name: 'signed audit checkpoints and their keys',
    sql: `
      CREATE TABLE clearance_audit_checkpoints (
        n bigint PRIMARY KEY CHECK (n >= 1),
        prev text NOT NULL UNIQUE,
        jws text NOT NULL
      );
      CREATE TABLE clearance_audit_checkpoint_keys (
        kid text PRIMARY KEY,
        added bigserial NOT NULL,
        jwk json NOT NULL
      );
    `,
  },
];

/** The advisory lock key migrations run under (any constant; "clearance" in ASCII). */
const MIGRATION_LOCK_KEY = 0x636c656172616e63n;

export interface MigrationResult {
  /** The versions this call applied, in order (empty when the schema was current). */
  applied: number[];
  /** The schema version after the call. */
  version: number;
}

/**
 * Brings the database's schema up to date, each migration in its own transaction, under a
 * session advisory lock: replicas starting at once wait for each other, and the later ones
 * find nothing left to do. A database newer than this code (a later release migrated it) is
 * refused rather than used.
 */
export async function migrate(
  pool: Pool,
  migrations: readonly Migration[] = MIGRATIONS,
): Promise<MigrationResult> {
  const client = await pool.connect();
  const ignore = () => {};
  client.on('error', ignore);
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY.toString()]);
    try {
      await client.query(`CREATE TABLE IF NOT EXISTS clearance_migrations (
        version integer PRIMARY KEY,
        name text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now()
      )`);
      const { rows } = await client.query<{ version: number }>(
        'SELECT version FROM clearance_migrations ORDER BY version',
      );
      const done = new Set(rows.map((r) => r.version));
      const known = new Set(migrations.map((m) => m.version));
      const newer = rows.map((r) => r.version).filter((v) => !known.has(v));
      if (newer.length > 0) {
        throw new ClearanceError(
          'ERR_STORE',
          `The database's schema has migration ${Math.max(...newer)}, newer than this Clearance knows (${Math.max(0, ...known)}): upgrade Clearance.`,
        );
      }
      const applied: number[] = [];
      for (const migration of migrations) {
        if (done.has(migration.version)) continue;
        await client.query('BEGIN');
        try {
          await client.query(migration.sql);
          await client.query('INSERT INTO clearance_migrations (version, name) VALUES ($1, $2)', [
            migration.version,
            migration.name,
          ]);
          await client.query('COMMIT');
        } catch (err) {
          await client.query('ROLLBACK').catch(() => {});
          throw err;
        }
        applied.push(migration.version);
      }
      return { applied, version: Math.max(0, ...done, ...applied) };
    } finally {
      await client
        .query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY.toString()])
        .catch(() => {});
    }
  } finally {
    client.off('error', ignore);
    client.release();
  }
}

/** The schema version the database is at (0 before any migration), without changing it. */
export async function schemaVersion(pool: Pool): Promise<number> {
  const table = await pool.query<{ found: string | null }>(
    "SELECT to_regclass('clearance_migrations')::text AS found",
  );
  if (!table.rows[0]?.found) return 0;
  const { rows } = await pool.query<{ version: number | null }>(
    'SELECT max(version) AS version FROM clearance_migrations',
  );
  return rows[0]?.version ?? 0;
}
