import { createHash } from 'node:crypto';
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLocalJWKSet } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Clock } from '@clearance/client';
import {
  checkpointDigest,
  FIRST_CHECKPOINT_PREV,
  verifyCheckpoint,
  type SignedCheckpoint,
} from './audit/checkpoint.js';
import { readCheckpointFile } from './audit/checkpoint-files.js';
import { trailHashes, verifyCheckpointLines } from './audit/verify-checkpoints.js';
import { runCli } from './cli/test-io.case.js';
import { formatAuditLine } from './domain/audit-line.js';
import { verifyAuditLines } from './domain/audit-verify.js';
import type { AuditEntry } from './domain/model.js';
import { requestFor } from './http/app-harness.case.js';
import { type RunningServer, startServer } from './server.js';
import { openPostgresStore } from './store/postgres-store.js';
import { postgresAvailable, usePostgresServer } from './store/postgres-server.case.js';

const available = postgresAvailable('postgres-replicas.test.ts');
const users = ['alice', 'bob', 'dave', 'carol'] as const;
type User = (typeof users)[number];
const sha = (text: string) => createHash('sha256').update(text).digest('hex');

const config = `
users:
${users
  .map(
    (id) =>
      `  - { id: ${id}, name: ${id}, groups: [${id === 'carol' ? 'deployers' : 'managers'}], apiTokenSha256: ${sha(`tok-${id}`)} }`,
  )
  .join('\n')}
defaultRule: { name: default, approvals: 2, approverGroups: [managers], maxDurationSeconds: 3600 }
audit: { checkpointEvery: 7 }
`;

interface RequestAnswer {
  id: string;
  status: string;
  token?: string;
}

describe.runIf(available)('replicas on one PostgreSQL database', () => {
  const server = usePostgresServer();
  let dir: string;
  let configPath: string;
  const started: RunningServer[] = [];
  const quiet = () => {};

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'clearance-replicas-'));
    configPath = join(dir, 'clearance.yaml');
    await writeFile(configPath, config);
  });
  afterAll(async () => {
    await Promise.all(started.map((s) => s.close().catch(() => {})));
    await rm(dir, { recursive: true, force: true });
  });

  /**
   * A replica with its own data directory (keys copied from `keysFrom`: they share the key),
   * whose clock shows even milliseconds (`parity` 0) or odd ones (1): a checkpoint's time
   * tells which replica signed it.
   */
  const replica = async (databaseUrl: string, name: string, parity: 0 | 1, keysFrom?: string) => {
    const dataDir = join(dir, name);
    if (keysFrom) await cp(join(keysFrom, 'keys'), join(dataDir, 'keys'), { recursive: true });
    const clock: Clock = {
      now: () => {
        const ms = Date.now();
        return new Date(ms - (ms % 2) + parity);
      },
    };
    const running = await startServer({
      configPath,
      dataDir,
      port: 0,
      databaseUrl,
      clock,
      log: quiet,
    });
    started.push(running);
    return { ...running, dataDir };
  };

  const call = async (
    base: string,
    as: User,
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; body: RequestAnswer }> => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { authorization: `Bearer tok-${as}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: res.status, body: (await res.json()) as RequestAnswer };
  };

  it('clearance migrate applies the schema once, then finds it current', async () => {
    const url = await server().createDatabase();
    const first = await runCli(['migrate'], { DATABASE_URL: url });
    expect(first).toMatchObject({ code: 0 });
    expect(first.out).toMatch(
      /^Applied migrations 1, 2, 3, 4, 5, 6 to 127\.0\.0\.1:\d+\/\w+; the schema is at version 6\.\n$/,
    );
    const again = await runCli(['migrate', '--config', configPath], { DATABASE_URL: url });
    expect(again.out).toMatch(/is up to date \(version 6\)/);
    const none = await runCli(['migrate', '--config', configPath], {});
    expect(none.code).toBe(1);
    expect(none.err).toContain('no database');
  });

  it('two replicas deciding at the same moment: one token, one final state, one chain of entries and of checkpoints', async () => {
    const url = await server().createDatabase();
    const a = await replica(url, 'a', 0);
    const b = await replica(url, 'b', 1, a.dataDir);
    const rounds = 12;
    for (let round = 0; round < rounds; round++) {
      // Identical requests at once, one to each replica: one id.
      const body = requestFor({ material: { round } });
      const [ra, rb] = await Promise.all([
        call(a.url, 'carol', 'POST', '/v1/requests', body),
        call(b.url, 'carol', 'POST', '/v1/requests', body),
      ]);
      expect(ra.body.id).toBe(rb.body.id);
      expect([ra.status, rb.status].sort()).toEqual([200, 201]);
      const id = ra.body.id;
      if (round % 2 === 0) {
        // The two approvals the quorum needs, at once on both replicas: exactly one token.
        const answers = await Promise.all([
          call(a.url, 'alice', 'POST', `/v1/requests/${id}/reviews`, { decision: 'approve' }),
          call(b.url, 'bob', 'POST', `/v1/requests/${id}/reviews`, { decision: 'approve' }),
        ]);
        expect(answers.map((r) => r.status)).toEqual([200, 200]);
        expect(answers.filter((r) => r.body.token !== undefined)).toHaveLength(1);
      } else {
        // One approval in; then the second approval races a denial.
        await call(a.url, 'alice', 'POST', `/v1/requests/${id}/reviews`, { decision: 'approve' });
        const answers = await Promise.all([
          call(a.url, 'bob', 'POST', `/v1/requests/${id}/reviews`, { decision: 'approve' }),
          call(b.url, 'dave', 'POST', `/v1/requests/${id}/reviews`, {
            decision: 'deny',
            reason: 'no',
          }),
        ]);
        expect(answers.filter((r) => r.status === 200)).toHaveLength(1);
      }
      const [fa, fb] = await Promise.all([
        call(a.url, 'carol', 'GET', `/v1/requests/${id}`),
        call(b.url, 'carol', 'GET', `/v1/requests/${id}`),
      ]);
      expect(fa.body.status).toBe(fb.body.status);
      expect(['approved', 'denied']).toContain(fa.body.status);
    }
    // Then each replica alone for a signing interval (7 entries): each signs, whatever the race gave.
    const alone = 7;
    for (const [n, one] of [a, b].entries()) {
      for (let i = 0; i < alone; i++) {
        const body = requestFor({ material: { alone: n, i } });
        expect((await call(one.url, 'carol', 'POST', '/v1/requests', body)).status).toBe(201);
      }
    }
    const trail: AuditEntry[] = await a.services.audit.readAudit({});
    const lines = trail.map((e) => formatAuditLine(e));
    const last = trail.at(-1);
    expect(verifyAuditLines(lines, last && { seq: last.seq, hash: last.hash })).toMatchObject({
      ok: true,
    });
    const issued = trail.filter((e) => e.action === 'token.issued');
    expect(new Set(issued.map((e) => e.subject)).size).toBe(issued.length);
    expect(trail.filter((e) => e.action === 'request.created')).toHaveLength(rounds + 2 * alone);
    await Promise.all([a.close(), b.close()]);

    // Both replicas signed checkpoints into the database: one chain, each following the one
    // before, never going back, and none in the replicas' data directories.
    const store = await openPostgresStore({ url, log: quiet });
    const { lines: checkpoints, keys } = await store.checkpoints
      .read()
      .finally(() => store.close());
    const trusted = createLocalJWKSet(keys);
    const signed: SignedCheckpoint[] = [];
    for (const jws of checkpoints) signed.push(await verifyCheckpoint(jws, trusted));
    expect(signed.map((c) => c.prev)).toEqual([
      FIRST_CHECKPOINT_PREV,
      ...checkpoints.slice(0, -1).map(checkpointDigest),
    ]);
    const seqs = signed.map((c) => c.seq);
    expect(seqs).toEqual([...new Set(seqs)].sort((x, y) => x - y));
    expect(seqs.at(-1)).toBe(last?.seq);
    const signers = new Set(signed.map((c) => Date.parse(c.time) % 2));
    expect(signers).toEqual(new Set([0, 1]));
    const checked = await verifyCheckpointLines(
      checkpoints,
      { hashes: trailHashes(lines), lastSeq: last?.seq ?? 0 },
      trusted,
      { required: true },
    );
    expect(checked.problems).toEqual([]);
    for (const replicaDir of [a.dataDir, b.dataDir]) {
      expect(await readCheckpointFile(replicaDir)).toBeUndefined();
    }
    const env = { DATABASE_URL: url };
    const verified = await runCli(['audit', 'verify', '--config', configPath], env);
    expect(verified.err).toBe('');
    expect(verified).toMatchObject({ code: 0 });
    expect(verified.out).toContain(`audit trail intact: ${trail.length} entries in PostgreSQL at`);
    expect(verified.out).toContain(
      `${checkpoints.length} signed checkpoints checked with the keys the database records`,
    );

    // A checkpoint removed from the database, or altered in it, fails the verification.
    const { default: pg } = await import('pg');
    const pool = new pg.Pool({ connectionString: url });
    const problemsOf = async () => {
      const run = await runCli(['audit', 'verify', '--json'], env);
      expect(run.code).toBe(1);
      return (JSON.parse(run.out) as { problems: { kind: string; message: string }[] }).problems;
    };
    try {
      const removed = await pool.query(
        'DELETE FROM clearance_audit_checkpoints WHERE n = 2 RETURNING *',
      );
      expect(await problemsOf()).toContainEqual({
        line: 0,
        kind: 'deleted',
        message: expect.stringContaining('checkpoint 2 in the database does not follow'),
      });
      const { n, prev, jws } = removed.rows[0] as { n: string; prev: string; jws: string };
      await pool.query(
        'INSERT INTO clearance_audit_checkpoints (n, prev, jws) VALUES ($1, $2, $3)',
        [n, prev, `${jws.slice(0, -4)}AAAA`],
      );
      expect(await problemsOf()).toContainEqual({
        line: 0,
        kind: 'forged',
        message: expect.stringContaining(
          'checkpoint 2 in the database: the signature does not verify',
        ),
      });
    } finally {
      await pool.end();
    }
  }, 120_000);
});
