import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLocalJWKSet, type JSONWebKeySet } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock, verifyApprovalToken, type RequestView } from '@clearance/client';
import { readCheckpointFile, readCheckpointKeys } from './audit/checkpoint-files.js';
import { runCli } from './cli/test-io.case.js';
import { requestBody, requestFor } from './http/app-harness.case.js';
import { type RunningServer, startServer } from './server.js';
import { openPostgresStore } from './store/postgres-store.js';
import { postgresAvailable, usePostgresServer } from './store/postgres-server.case.js';

const available = postgresAvailable('postgres-export-import.test.ts');
const sha = (text: string) => createHash('sha256').update(text).digest('hex');

const config = `
users:
  - { id: carol, name: Carol, groups: [deployers], apiTokenSha256: ${sha('tok-carol')} }
  - { id: alice, name: Alice, groups: [managers], apiTokenSha256: ${sha('tok-alice')} }
  - { id: bob, name: Bob, groups: [managers], apiTokenSha256: ${sha('tok-bob')} }
defaultRule: { name: default, approvals: 2, approverGroups: [managers], maxDurationSeconds: 3600 }
audit: { checkpointEvery: 3 }
`;

describe.runIf(available)('clearance export and import between lowdb and PostgreSQL', () => {
  const server = usePostgresServer();
  let dir: string;
  let configPath: string;
  const started: RunningServer[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'clearance-move-'));
    configPath = join(dir, 'clearance.yaml');
    await writeFile(configPath, config);
  });
  afterAll(async () => {
    await Promise.all(started.map((s) => s.close().catch(() => {})));
    await rm(dir, { recursive: true, force: true });
  });

  const serve = async (dataDir: string, databaseUrl: string) => {
    const running = await startServer({ configPath, dataDir, port: 0, databaseUrl, log: () => {} });
    started.push(running);
    return running;
  };
  const call = async <T>(
    base: string,
    as: string,
    method: string,
    path: string,
    body?: unknown,
  ) => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { authorization: `Bearer tok-${as}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    expect(res.ok).toBe(true);
    return (await res.json()) as T;
  };
  /** The token verifies against the JWKS `base` publishes, as the pack checks it. */
  const accepts = async (base: string, view: RequestView) => {
    const jwks = (await (await fetch(`${base}/.well-known/jwks.json`)).json()) as JSONWebKeySet;
    const claims = await verifyApprovalToken(
      view.token ?? '',
      createLocalJWKSet(jwks),
      { stack: view.stack, urn: view.urn, policy: view.policy, fingerprint: view.fingerprint },
      { clock: systemClock },
    );
    expect(claims.rid).toBe(view.id);
  };

  it('moves lowdb to PostgreSQL and back with the signed checkpoints: audit verify passes on each and tokens keep verifying', async () => {
    const lowdb = join(dir, 'lowdb');
    const pgData = join(dir, 'pg-data');
    const back = join(dir, 'back');
    const url = await server().createDatabase();

    const first = await serve(lowdb, '');
    const created = await call<RequestView>(
      first.url,
      'carol',
      'POST',
      '/v1/requests',
      requestBody,
    );
    await call(first.url, 'alice', 'POST', `/v1/requests/${created.id}/reviews`, {
      decision: 'approve',
    });
    const approved = await call<RequestView>(
      first.url,
      'bob',
      'POST',
      `/v1/requests/${created.id}/reviews`,
      { decision: 'approve' },
    );
    expect(approved.token).toBeDefined();
    await first.close();
    const env = { DATABASE_URL: url };

    const imported = await runCli(
      ['import', '--from', lowdb, '--data-dir', pgData, '--config', configPath],
      env,
    );
    expect(imported.err).toBe('');
    expect(imported.out).toMatch(/^Imported 1 requests and \d+ audit entries from /);
    // Importing again would mix two trails: refused.
    const twice = await runCli(['import', '--from', lowdb, '--data-dir', pgData], env);
    expect(twice.code).not.toBe(0);
    expect(twice.err).toContain('not empty');

    // The checkpoints and their keys went into the database, not into the data directory.
    const signedOnLowdb = (await readCheckpointFile(lowdb))?.lines ?? [];
    expect(signedOnLowdb.length).toBeGreaterThan(0);
    const inDatabase = async () => {
      const store = await openPostgresStore({ url, log: () => {} });
      return store.checkpoints.read().finally(() => store.close());
    };
    expect(await inDatabase()).toEqual({
      lines: signedOnLowdb,
      keys: await readCheckpointKeys(lowdb),
    });
    expect(await readCheckpointFile(pgData)).toBeUndefined();
    const verifiedOnPg = await runCli(['audit', 'verify', '--config', configPath], env);
    expect(verifiedOnPg.err).toBe('');
    expect(verifiedOnPg.out).toContain(
      `${signedOnLowdb.length} signed checkpoints checked with the keys the database records`,
    );

    const onPg = await serve(pgData, url);
    expect(
      (await call<RequestView>(onPg.url, 'carol', 'GET', `/v1/requests/${created.id}`)).status,
    ).toBe('approved');
    await accepts(onPg.url, approved);
    // A change on PostgreSQL: the service signs it at the latest when it stops.
    await call(onPg.url, 'carol', 'POST', '/v1/requests', requestFor({ material: { n: 2 } }));
    // The API's export carries the database's checkpoints, the head signed first.
    const res = await fetch(`${onPg.url}/v1/audit/export`, {
      headers: { authorization: 'Bearer tok-alice' },
    });
    expect(res.status).toBe(200);
    const exportFile = join(dir, 'export.jsonl');
    await writeFile(exportFile, await res.text());
    const fromExport = await runCli(['audit', 'verify', '--file', exportFile]);
    expect(fromExport.err).toBe('');
    expect(fromExport.out).toContain(
      `${signedOnLowdb.length + 1} signed checkpoints checked with the keys the export carries`,
    );
    await onPg.close();

    // The service on PostgreSQL signed on after the imported checkpoints, in the database.
    const signedOnPg = await inDatabase();
    expect(signedOnPg.lines.length).toBeGreaterThan(signedOnLowdb.length);
    expect(signedOnPg.lines.slice(0, signedOnLowdb.length)).toEqual(signedOnLowdb);
    expect(await readCheckpointFile(pgData)).toBeUndefined();

    const exported = await runCli(['export', '--to', back, '--data-dir', pgData], env);
    expect(exported.err).toBe('');
    expect((await readCheckpointFile(back))?.lines).toEqual(signedOnPg.lines);
    expect(await readCheckpointKeys(back)).toEqual(signedOnPg.keys);
    const verified = await runCli(['audit', 'verify', '--data-dir', back]);
    expect(verified.err).toBe('');
    expect(verified).toMatchObject({ code: 0 });
    expect(verified.out).toContain('audit trail intact');

    const original = await runCli(['audit', 'verify', '--data-dir', lowdb, '--json']);
    const roundTrip = await runCli(['audit', 'verify', '--data-dir', back, '--json']);
    const { head: originalHead } = JSON.parse(original.out) as { head: unknown };
    expect(JSON.parse(roundTrip.out)).toMatchObject({ ok: true });
    const store = await openPostgresStore({ url, log: () => {} });
    try {
      const pgHead = await store.auditHead();
      expect((JSON.parse(roundTrip.out) as { head: unknown }).head).toEqual(pgHead);
      expect(pgHead.seq).toBeGreaterThanOrEqual((originalHead as { seq: number }).seq);
    } finally {
      await store.close();
    }
    const again = await serve(back, '');
    await accepts(again.url, approved);
  }, 120_000);
});
