import { AsyncLocalStorage } from 'node:async_hooks';
import { createHash, randomBytes } from 'node:crypto';
import type { Pool, PoolClient, QueryResultRow } from 'pg';
import { ClearanceError, isClearanceError, sha256Hex } from '@clearance/client';
import { type AuditHead, GENESIS_HASH, chainEntries } from '../domain/audit-chain.js';
import type {
  AuditEntry,
  AuditEvent,
  AuditFilter,
  RequestKey,
  StoredRequest,
} from '../domain/model.js';
import type { SignInRecords } from '../auth/oidc-flows.js';
import type {
  CheckpointBase,
  CheckpointRecords,
  StoredCheckpoints,
} from '../domain/checkpoint-records.js';
import { type MigrationResult, migrate } from './postgres-migrations.js';
import { deepFreeze, requestKeyOf } from './request-index.js';
import type {
  DeliveryRecords,
  FrozenRequest,
  RequestFacets,
  RequestFilter,
  SessionRecords,
  Store,
  StoreHealth,
  SavedChange,
} from './store.js';

export interface PostgresStoreOptions {
  /** A `postgres://user:password@host:port/database` connection URL. */
  url: string;
  /** How long a connection, a query or a wait for the write lock may take (default 5 s). */
  timeoutMs?: number | undefined;
  /** Connections in the pool (default 10). */
  maxConnections?: number | undefined;
  /** How often the database is pinged so that `health()` shows an outage without traffic (default 2 s). */
  pingIntervalMs?: number | undefined;
  /** Where the store says it lost or regained the database (default stderr). */
  log?: ((line: string) => void) | undefined;
}

/** A Store on PostgreSQL that several service processes may share. */
export interface PostgresStore extends Store {
  /** What the schema migration at open did. */
  readonly migration: MigrationResult;
  /** Where the store connects, without the password: `host:port/database`. */
  readonly target: string;
  /** Whether the database answers now (a trivial query within the timeout). */
  ping(): Promise<boolean>;
  readonly checkpoints: CheckpointRecords;
}

type Queryable = Pick<Pool, 'query'>;

/** `host:port/database` of a connection URL, never its password. */
export function describeDatabase(url: string): string {
  try {
    const parsed = new URL(url);
    const host = parsed.hostname || parsed.searchParams.get('host') || 'localhost';
    const port = parsed.port || '5432';
    const database = decodeURIComponent(parsed.pathname.replace(/^\//, '')) || '(default)';
    return `${host}:${port}/${database}`;
  } catch {
    return 'the configured database (its URL could not be read)';
  }
}

/** The password of a connection URL, to scrub from messages (undefined when it has none). */
function passwordOf(url: string): string | undefined {
  try {
    const password = decodeURIComponent(new URL(url).password);
    return password === '' ? undefined : password;
  } catch {
    return undefined;
  }
}

/** Turns a driver error into ERR_STORE naming host and database (never the password). */
function storeError(err: unknown, target: string, password: string | undefined): ClearanceError {
  if (isClearanceError(err)) return err;
  let why = err instanceof Error ? err.message || err.name : String(err);
  if (err instanceof AggregateError && err.errors.length > 0) {
    why = err.errors.map((e: unknown) => (e instanceof Error ? e.message : String(e))).join('; ');
  }
  if (password) why = why.split(password).join('***');
  return new ClearanceError('ERR_STORE', `PostgreSQL at ${target}: ${why}`, { database: target });
}

interface RequestRow extends QueryResultRow {
  doc: StoredRequest;
}

const NEWEST_FIRST = 'created_ms DESC NULLS LAST, first_saved DESC';

/**
 * Opens the PostgreSQL store at `options.url`, loading the `pg` driver only now, and brings the
 * schema up to date (see `migrate`: safe with replicas starting at once).
 *
 * Concurrency: every write runs in a transaction that first locks the single row of
 * `clearance_write_lock` (`SELECT … FOR UPDATE`); `exclusive` runs a whole read-modify-write
 * section of the service in one such transaction. Row locks, not serializable isolation,
 * because the service's sections decide on what they read across many rows (the newest
 * request of a key, which does not exist yet when two identical requests race; the head of
 * the audit chain) and have effects outside the database (signing a token), so a section
 * could not simply be retried after a serialization failure. One lock for all writes also
 * keeps the audit chain a single line: each change reads the head and appends after it while
 * no other replica can. Writes are serialized across replicas as they are within one process
 * by the service's mutex; reads never wait for them.
 */
export async function openPostgresStore(options: PostgresStoreOptions): Promise<PostgresStore> {
  const target = describeDatabase(options.url);
  const password = passwordOf(options.url);
  const log = options.log ?? ((line: string) => console.error(line));
  const timeoutMs = options.timeoutMs ?? 5_000;
  const { default: pg } = await import('pg');
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.maxConnections ?? 10,
    connectionTimeoutMillis: timeoutMs,
    query_timeout: timeoutMs,
    statement_timeout: timeoutMs,
    lock_timeout: timeoutMs,
    idle_in_transaction_session_timeout: timeoutMs * 2,
  });
  // An idle connection that breaks (the server restarts) must not end the process.
  pool.on('error', (err) => log(storeError(err, target, password).message));
  try {
    const migration = await migrate(pool);
    if (migration.applied.length > 0) {
      log(`PostgreSQL at ${target}: applied schema migrations ${migration.applied.join(', ')}.`);
    }
    // The first replica to open the database makes the key; every later one reads it.
    await pool.query(
      "INSERT INTO clearance_shared_keys (name, key) VALUES ('login-form', $1) ON CONFLICT (name) DO NOTHING",
      [randomBytes(32)],
    );
    const { rows } = await pool.query<{ key: Buffer }>(
      "SELECT key FROM clearance_shared_keys WHERE name = 'login-form'",
    );
    const loginFormKey = rows[0]?.key;
    if (!loginFormKey) throw new Error('the shared login form key could not be read');
    const store = new PgStore(pool, target, password, migration, log, loginFormKey);
    store.watch(options.pingIntervalMs ?? 2_000);
    return store;
  } catch (err) {
    await pool.end().catch(() => {});
    throw storeError(err, target, password);
  }
}

class PgStore implements PostgresStore {
  readonly #pool: Pool;
  readonly #tx = new AsyncLocalStorage<PoolClient>();
  readonly #password: string | undefined;
  readonly #log: (line: string) => void;
  #closed = false;
  #down: { since: string; error: string } | undefined;
  #timer: NodeJS.Timeout | undefined;

  constructor(
    pool: Pool,
    readonly target: string,
    password: string | undefined,
    readonly migration: MigrationResult,
    log: (line: string) => void,
    readonly loginFormKey: Buffer,
  ) {
    this.#pool = pool;
    this.#password = password;
    this.#log = log;
  }

  /** Pings the database every `intervalMs` (without keeping the process alive). */
  watch(intervalMs: number): void {
    let pinging = false;
    this.#timer = setInterval(() => {
      if (pinging || this.#closed) return;
      pinging = true;
      void this.ping().finally(() => (pinging = false));
    }, intervalMs);
    this.#timer.unref();
  }

  async getRequest(id: string): Promise<StoredRequest | undefined> {
    const { rows } = await this.#query<RequestRow>(
      'SELECT doc FROM clearance_requests WHERE id = $1',
      [id],
    );
    return rows[0]?.doc;
  }

  async findLatest(key: RequestKey): Promise<StoredRequest | undefined> {
    const { rows } = await this.#query<RequestRow>(
      `SELECT doc FROM clearance_requests
        WHERE stack = $1 AND urn = $2 AND policy = $3 AND fingerprint = $4
        ORDER BY ${NEWEST_FIRST} LIMIT 1`,
      [key.stack, key.urn, key.policy, key.fingerprint],
    );
    return rows[0]?.doc;
  }

  async listRequests(filter: RequestFilter = {}): Promise<StoredRequest[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (filter.status && filter.status.length > 0) {
      params.push(filter.status);
      where.push(`status = ANY($${params.length}::text[])`);
    }
    if (filter.stack !== undefined) {
      params.push(filter.stack);
      where.push(`stack = $${params.length}`);
    }
    if (filter.run !== undefined) {
      params.push(filter.run);
      where.push(`$${params.length} = ANY(blocked_runs)`);
    }
    for (const column of ['policy', 'urn'] as const) {
      if (filter[column] === undefined) continue;
      params.push(filter[column]);
      where.push(`${column} = $${params.length}`);
    }
    if (filter.unreviewedBreakGlass) {
      where.push(`(doc->'breakGlass') IS NOT NULL AND (doc->'breakGlass'->'review') IS NULL`);
    }
    let page = '';
    if (filter.limit !== undefined) {
      params.push(filter.limit);
      page += ` LIMIT $${params.length}`;
    }
    if (filter.offset !== undefined) {
      params.push(filter.offset);
      page += ` OFFSET $${params.length}`;
    }
    const { rows } = await this.#query<RequestRow>(
      `SELECT doc FROM clearance_requests ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY ${NEWEST_FIRST}${page}`,
      params,
    );
    return rows.map((r) => r.doc);
  }

  async requestFacets(): Promise<RequestFacets> {
    const distinct = async (column: 'stack' | 'policy') =>
      (
        await this.#query<{ value: string }>(
          `SELECT DISTINCT ${column} AS value FROM clearance_requests ORDER BY 1`,
          [],
        )
      ).rows.map((r) => r.value);
    return { stacks: await distinct('stack'), policies: await distinct('policy') };
  }

  async findLatestFrozen(keys: readonly RequestKey[]): Promise<(FrozenRequest | undefined)[]> {
    if (keys.length === 0) {
      this.#ensureOpen();
      return [];
    }
    const { rows } = await this.#query<RequestRow>(
      `SELECT DISTINCT ON (r.stack, r.urn, r.policy, r.fingerprint) r.doc
         FROM clearance_requests r
         JOIN (SELECT DISTINCT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[])
                 AS k(stack, urn, policy, fingerprint)) k
           USING (stack, urn, policy, fingerprint)
        ORDER BY r.stack, r.urn, r.policy, r.fingerprint, r.${NEWEST_FIRST.replace(', ', ', r.')}`,
      [
        keys.map((k) => k.stack),
        keys.map((k) => k.urn),
        keys.map((k) => k.policy),
        keys.map((k) => k.fingerprint),
      ],
    );
    const byKey = new Map(rows.map((r) => [requestKeyOf(r.doc), deepFreeze(r.doc)]));
    return keys.map((key) => byKey.get(requestKeyOf(key)));
  }

  async listFrozen(filter?: RequestFilter): Promise<FrozenRequest[]> {
    return (await this.listRequests(filter)).map((r) => deepFreeze(r));
  }

  saveRequest(request: StoredRequest, events: AuditEvent[]): Promise<AuditEntry[]> {
    // Written now: the JSON round trip drops undefined members and detaches the caller's object.
    const doc = JSON.stringify(request);
    return this.exclusive(async () => {
      const client = this.#client();
      await client.query(
        `INSERT INTO clearance_requests
           (id, stack, urn, policy, fingerprint, status, created_ms, blocked_runs, doc)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::json)
         ON CONFLICT (id) DO UPDATE SET
           stack = EXCLUDED.stack, urn = EXCLUDED.urn, policy = EXCLUDED.policy,
           fingerprint = EXCLUDED.fingerprint, status = EXCLUDED.status,
           created_ms = EXCLUDED.created_ms, blocked_runs = EXCLUDED.blocked_runs, doc = EXCLUDED.doc`,
        [
          request.id,
          request.stack,
          request.urn,
          request.policy,
          request.fingerprint,
          request.status,
          finiteOrNull(Date.parse(request.createdAt)),
          request.blockedRuns ?? [],
          doc,
        ],
      );
      return this.#append(client, events);
    });
  }

  saveRequests(changes: readonly SavedChange[]): Promise<AuditEntry[]> {
    return this.exclusive(async () => {
      const entries: AuditEntry[] = [];
      for (const { request, events } of changes) {
        entries.push(...(await this.saveRequest(request, events)));
      }
      return entries;
    });
  }

  appendAudit(events: AuditEvent[]): Promise<AuditEntry[]> {
    return this.exclusive(() => this.#append(this.#client(), events));
  }

  async readAudit(filter: AuditFilter = {}): Promise<AuditEntry[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (filter.since !== undefined) add('time_ms >= ?', Date.parse(filter.since));
    if (filter.until !== undefined) add('time_ms < ?', Date.parse(filter.until));
    if (filter.actor !== undefined) add('actor = ?', filter.actor);
    if (filter.action !== undefined) add('action = ?', filter.action);
    if (filter.subject !== undefined) add('subject = ?', filter.subject);
    const { newest } = filter;
    const limit = newest ?? filter.limit;
    if (limit !== undefined && limit <= 0) {
      this.#ensureOpen();
      return [];
    }
    let sql = `SELECT entry FROM clearance_audit ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY seq${newest === undefined ? '' : ' DESC'}`;
    if (limit !== undefined && Number.isFinite(limit)) {
      params.push(Math.floor(limit));
      sql += ` LIMIT $${params.length}`;
    }
    const { rows } = await this.#query<{ entry: AuditEntry }>(sql, params);
    const entries = rows.map((r) => r.entry);
    return newest === undefined ? entries : entries.reverse();
  }

  /**
   * Runs `section` in one transaction holding the write lock (see `openPostgresStore`): the
   * store's calls inside it use that transaction, and nothing it wrote stays if it throws.
   * Nested calls join the transaction under way.
   */
  async exclusive<T>(section: () => Promise<T>): Promise<T> {
    this.#ensureOpen();
    if (this.#tx.getStore()) return section();
    const client = await this.#connect();
    // A checked-out connection that breaks emits 'error' besides failing its query: that alone
    // must not end the process (the query's rejection is what reports it).
    const ignore = () => {};
    client.on('error', ignore);
    let failed: unknown;
    try {
      await client.query('BEGIN');
      await client.query('SELECT id FROM clearance_write_lock WHERE id = 1 FOR UPDATE');
      const result = await this.#tx.run(client, section);
      await client.query('COMMIT');
      this.#up();
      return result;
    } catch (err) {
      failed = err;
      await client.query('ROLLBACK').catch(() => {});
      throw this.#failure(err);
    } finally {
      // A connection that failed mid-transaction is dropped, not handed to the next caller.
      client.off('error', ignore);
      client.release(failed !== undefined && !isClearanceError(failed));
    }
  }

  health(): StoreHealth {
    return this.#down ? { database: { ok: false, ...this.#down } } : {};
  }

  /**
   * Console sessions, keyed by the SHA-256 of their id (the id is a bearer secret, so the
   * database never holds it); expired rows are deleted as others are saved.
   */
  readonly sessions: SessionRecords = {
    load: async (id) => {
      const { rows } = await this.#query<{ doc: unknown }>(
        'SELECT doc FROM clearance_sessions WHERE id_sha256 = $1',
        [sessionKey(id)],
      );
      return rows[0]?.doc;
    },
    save: async (id, session, expiresAtMs, nowMs) => {
      await this.#query(
        `INSERT INTO clearance_sessions (id_sha256, expires_ms, doc) VALUES ($1, $2, $3::json)
         ON CONFLICT (id_sha256) DO UPDATE SET expires_ms = EXCLUDED.expires_ms, doc = EXCLUDED.doc`,
        [sessionKey(id), expiresAtMs, JSON.stringify(session)],
      );
      await this.#query('DELETE FROM clearance_sessions WHERE expires_ms <= $1', [nowMs]);
    },
    remove: async (id) => {
      await this.#query('DELETE FROM clearance_sessions WHERE id_sha256 = $1', [sessionKey(id)]);
    },
  };

  /**
   * Webhook deliveries still to send. A claim is one UPDATE over a `SELECT … FOR UPDATE SKIP
   * LOCKED`: two replicas claiming at once lock different rows, never the same one, and a claim
   * whose lease ran out (its replica died mid-attempt) is due to the others again.
   */
  readonly deliveries: DeliveryRecords = {
    add: async (deliveries, nowMs) => {
      if (deliveries.length === 0) return;
      await this.#query(
        `INSERT INTO clearance_webhook_deliveries (id, due_ms, doc)
         SELECT id, $2, doc FROM unnest($1::text[], $3::json[]) AS d (id, doc)`,
        [deliveries.map((d) => d.id), nowMs, deliveries.map((d) => JSON.stringify(d.delivery))],
      );
    },
    claim: async (owner, nowMs, leaseMs, limit) => {
      const { rows } = await this.#query<{ id: string; doc: unknown; attempts: number }>(
        `UPDATE clearance_webhook_deliveries SET owner = $1, lease_ms = $2::float8 + $3::float8
         WHERE id IN (
           SELECT id FROM clearance_webhook_deliveries
           WHERE due_ms <= $2 AND (owner IS NULL OR lease_ms <= $2)
           ORDER BY due_ms, queued LIMIT $4 FOR UPDATE SKIP LOCKED)
         RETURNING id, doc, attempts`,
        [owner, nowMs, leaseMs, limit],
      );
      return rows.map((r) => ({ id: r.id, delivery: r.doc, attempts: r.attempts }));
    },
    retry: async (id, owner, attempts, dueMs) => {
      await this.#query(
        `UPDATE clearance_webhook_deliveries
         SET attempts = $3, due_ms = $4, owner = NULL, lease_ms = NULL
         WHERE id = $1 AND owner = $2`,
        [id, owner, attempts, dueMs],
      );
    },
    done: async (id, owner) => {
      await this.#query('DELETE FROM clearance_webhook_deliveries WHERE id = $1 AND owner = $2', [
        id,
        owner,
      ]);
    },
    release: async (owner) => {
      await this.#query(
        'UPDATE clearance_webhook_deliveries SET owner = NULL, lease_ms = NULL WHERE owner = $1',
        [owner],
      );
    },
  };

  /**
   * Single sign-ons under way, keyed by the SHA-256 of their id like sessions. `take` is one
   * DELETE … RETURNING: the row lock it takes lets only one of two concurrent callbacks have
   * the row, so a sign-in is used once across replicas.
   */
  readonly signIns: SignInRecords = {
    add: async (id, signIn, expiresAtMs, nowMs) => {
      await this.#query(
        'INSERT INTO clearance_sign_ins (id_sha256, expires_ms, doc) VALUES ($1, $2, $3::json)',
        [sessionKey(id), expiresAtMs, JSON.stringify(signIn)],
      );
      await this.#query('DELETE FROM clearance_sign_ins WHERE expires_ms <= $1', [nowMs]);
    },
    take: async (id, nowMs) => {
      const { rows } = await this.#query<{ doc: unknown; expires_ms: number }>(
        'DELETE FROM clearance_sign_ins WHERE id_sha256 = $1 RETURNING doc, expires_ms',
        [sessionKey(id)],
      );
      const row = rows[0];
      return row && row.expires_ms > nowMs ? row.doc : undefined;
    },
  };

  /**
   * The signed checkpoints, in order. Appending one runs under the write lock every change of
   * the trail takes (see `openPostgresStore`), not under a unique constraint and a retry: the
   * head it signs must be the trail's head as it stands, which only that lock holds still, and
   * a signature is no statement to redo after a conflict. So two replicas checkpointing at once
   * take turns, and the second reads the first one's checkpoint as the last before it signs,
   * or leaves it when that covers the head already. The unique `prev` (the SHA-256 of the
   * checkpoint before, as its payload holds it) refuses a fork should anything bypass the lock.
   */
  readonly checkpoints: CheckpointRecords = {
    read: async () => {
      // The checkpoints before the keys: every checkpoint read finds its key.
      const { rows } = await this.#query<{ jws: string }>(
        'SELECT jws FROM clearance_audit_checkpoints ORDER BY n',
        [],
      );
      return { lines: rows.map((r) => r.jws), keys: await this.#checkpointKeys(this.#pool) };
    },
    append: (next) =>
      this.exclusive(async () => {
        const client = this.#client();
        const base = await this.#checkpointBase(client);
        const checkpoint = await next(base);
        if (!checkpoint) return;
        await client.query(
          `INSERT INTO clearance_audit_checkpoint_keys (kid, jwk) VALUES ($1, $2::json)
           ON CONFLICT (kid) DO NOTHING`,
          [checkpoint.kid, JSON.stringify(checkpoint.key)],
        );
        await client.query(
          'INSERT INTO clearance_audit_checkpoints (n, prev, jws) VALUES ($1, $2, $3)',
          [base.count + 1, digestOf(base.last), checkpoint.jws],
        );
      }),
    restore: (checkpoints: StoredCheckpoints) =>
      this.exclusive(async () => {
        const client = this.#client();
        const { rows } = await client.query<{ held: boolean }>(
          `SELECT EXISTS (SELECT 1 FROM clearance_audit_checkpoints)
               OR EXISTS (SELECT 1 FROM clearance_audit_checkpoint_keys) AS held`,
        );
        if (rows[0]?.held) {
          throw new ClearanceError(
            'ERR_CONFLICT',
            'the database holds audit checkpoints already: copy only into a new database',
          );
        }
        for (const key of checkpoints.keys.keys) {
          if (typeof key.kid !== 'string') {
            throw new ClearanceError('ERR_STORE_CORRUPT', 'a checkpoint key names no key id (kid)');
          }
          await client.query(
            `INSERT INTO clearance_audit_checkpoint_keys (kid, jwk) VALUES ($1, $2::json)
             ON CONFLICT (kid) DO NOTHING`,
            [key.kid, JSON.stringify(key)],
          );
        }
        const { lines } = checkpoints;
        await client.query(
          `INSERT INTO clearance_audit_checkpoints (n, prev, jws)
           SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[])`,
          [lines.map((_, i) => i + 1), lines.map((_, i) => digestOf(lines[i - 1])), lines],
        );
      }),
  };

  async auditHead(): Promise<AuditHead> {
    return headOf(await this.#query<HeadRow>(HEAD_SQL, []));
  }

  async ping(): Promise<boolean> {
    try {
      await this.#query('SELECT 1', []);
      return true;
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#timer);
    await this.#pool.end().catch(() => {});
  }

  #ensureOpen(): void {
    if (this.#closed) throw new ClearanceError('ERR_STORE', 'The store is closed.');
  }

  /** The transaction of the section under way. */
  #client(): PoolClient {
    const client = this.#tx.getStore();
    if (!client) throw new Error('a write must run inside exclusive()');
    return client;
  }

  async #connect(): Promise<PoolClient> {
    try {
      return await this.#pool.connect();
    } catch (err) {
      throw this.#failure(err);
    }
  }

  /** A query on the section's transaction when there is one, else on the pool. */
  async #query<R extends QueryResultRow>(sql: string, params: unknown[]) {
    this.#ensureOpen();
    const on: Queryable = this.#tx.getStore() ?? this.#pool;
    try {
      const result = await on.query<R>(sql, params);
      this.#up();
      return result;
    } catch (err) {
      throw this.#failure(err);
    }
  }

  async #checkpointKeys(on: Queryable): Promise<StoredCheckpoints['keys']> {
    const { rows } = await on.query<{ jwk: StoredCheckpoints['keys']['keys'][number] }>(
      'SELECT jwk FROM clearance_audit_checkpoint_keys ORDER BY added',
    );
    return { keys: rows.map((r) => r.jwk) };
  }

  /** The trail's head and the last checkpoint, read in the section's transaction. */
  async #checkpointBase(client: PoolClient): Promise<CheckpointBase> {
    const head = headOf(await client.query<HeadRow>(HEAD_SQL));
    const { rows } = await client.query<{ n: string; jws: string }>(
      'SELECT n, jws FROM clearance_audit_checkpoints ORDER BY n DESC LIMIT 1',
    );
    const last = rows[0];
    const keys = await this.#checkpointKeys(client);
    return { head, last: last?.jws, count: last ? Number(last.n) : 0, keys };
  }

  async #append(client: PoolClient, events: AuditEvent[]): Promise<AuditEntry[]> {
    if (events.length === 0) return [];
    const last = headOf(await client.query<HeadRow>(HEAD_SQL));
    const entries = chainEntries(last.seq === 0 ? undefined : last, events);
    await client.query(
      `INSERT INTO clearance_audit (seq, time_ms, actor, action, subject, entry)
       SELECT * FROM unnest($1::bigint[], $2::float8[], $3::text[], $4::text[], $5::text[], $6::json[])`,
      [
        entries.map((e) => e.seq),
        entries.map((e) => finiteOrNull(Date.parse(e.time))),
        entries.map((e) => e.actor),
        entries.map((e) => e.action),
        entries.map((e) => e.subject),
        entries.map((e) => JSON.stringify(e)),
      ],
    );
    return structuredClone(entries);
  }

  #up(): void {
    if (!this.#down) return;
    this.#down = undefined;
    this.#log(`PostgreSQL at ${this.target} answers again.`);
  }

  /** Records a database failure for `/healthz` and returns the error to reject with. */
  #failure(err: unknown): ClearanceError {
    if (isClearanceError(err)) return err;
    const failure = storeError(err, this.target, this.#password);
    if (isConnectionFailure(err)) {
      if (!this.#down) this.#log(`${failure.message} (requests answer 503 until it is back)`);
      this.#down ??= { since: new Date().toISOString(), error: failure.message };
    }
    return failure;
  }
}

/**
 * Whether an error means the database cannot be reached or used (not a refused statement):
 * no SQLSTATE at all (a socket error, a timeout), or class 08 (connection) or 57P (shutdown).
 */
function isConnectionFailure(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code !== 'string' || !/^[0-9A-Z]{5}$/.test(code)) return true;
  return code.startsWith('08') || code.startsWith('57P');
}

interface HeadRow extends QueryResultRow {
  seq: string;
  hash: string;
}

const HEAD_SQL =
  "SELECT seq, entry->>'hash' AS hash FROM clearance_audit ORDER BY seq DESC LIMIT 1";

function headOf({ rows }: { rows: HeadRow[] }): AuditHead {
  const last = rows[0];
  return last ? { seq: Number(last.seq), hash: last.hash } : { seq: 0, hash: GENESIS_HASH };
}

/** A checkpoint's `prev`: the SHA-256 of the one before (zeros for the first). */
function digestOf(jws: string | undefined): string {
  return jws === undefined ? GENESIS_HASH : sha256Hex(jws);
}

function sessionKey(id: string): string {
  return createHash('sha256').update(id, 'utf8').digest('hex');
}

function finiteOrNull(n: number): number | null {
  return Number.isFinite(n) ? n : null;
}
