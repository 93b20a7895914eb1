import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatAuditLine } from './domain/audit-line.js';
import { verifyAuditLines } from './domain/audit-verify.js';
import { requestFor } from './http/app-harness.case.js';
import { type RunningServer, startServer } from './server.js';
import { openPostgresStore } from './store/postgres-store.js';
import { postgresAvailable, usePostgresServer } from './store/postgres-server.case.js';

const available = postgresAvailable('postgres-outage.test.ts');
const sha = (text: string) => createHash('sha256').update(text).digest('hex');

const config = `
users:
  - { id: carol, name: Carol, groups: [deployers], apiTokenSha256: ${sha('tok-carol')} }
  - { id: alice, name: Alice, groups: [managers], apiTokenSha256: ${sha('tok-alice')} }
defaultRule: { name: default, approvals: 1, approverGroups: [managers], maxDurationSeconds: 3600 }
`;

interface Answer {
  status: number;
  ms: number;
  id?: string;
}

describe.runIf(available)('a PostgreSQL outage during traffic', () => {
  const server = usePostgresServer();
  let dir: string;
  let running: RunningServer | undefined;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'clearance-outage-'));
  });
  afterAll(async () => {
    await running?.close().catch(() => {});
    await rm(dir, { recursive: true, force: true });
  });

  /** Polls `check` until it holds, for at most `ms`. */
  const until = async (what: string, ms: number, check: () => Promise<boolean>) => {
    const deadline = Date.now() + ms;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error(`not within ${ms} ms: ${what}`);
      await sleep(100);
    }
  };

  it('answers 503 quickly while the database is down, says so in /healthz, and recovers by itself', async () => {
    const url = await server().createDatabase();
    const configPath = join(dir, 'clearance.yaml');
    await writeFile(configPath, config);
    running = await startServer({
      configPath,
      dataDir: join(dir, 'data'),
      port: 0,
      databaseUrl: url,
      log: () => {},
    });
    const base = running.url;
    const health = async () => (await fetch(`${base}/healthz`)).status;
    const answers: Answer[] = [];
    let n = 0;
    const send = async (): Promise<Answer> => {
      const start = Date.now();
      const res = await fetch(`${base}/v1/requests`, {
        method: 'POST',
        headers: { authorization: 'Bearer tok-carol', 'content-type': 'application/json' },
        body: JSON.stringify(requestFor({ material: { n: n++ } })),
      });
      const body = (await res.json()) as { id?: string };
      const answer = {
        status: res.status,
        ms: Date.now() - start,
        ...(body.id && { id: body.id }),
      };
      answers.push(answer);
      return answer;
    };
    let traffic = true;
    const worker = (async () => {
      while (traffic) await send();
    })();
    try {
      await until('traffic flows', 10_000, async () => answers.some((a) => a.status === 201));
      expect(await health()).toBe(200);

      server().stop();
      await until('a request answers 503', 10_000, async () =>
        answers.some((a) => a.status === 503),
      );
      await until(
        '/healthz reports the database down',
        10_000,
        async () => (await health()) === 503,
      );
      const down = (await (await fetch(`${base}/healthz`)).json()) as {
        ok: boolean;
        database?: { ok: boolean; error: string };
      };
      expect(down).toMatchObject({ ok: false, database: { ok: false } });
      expect(down.database?.error).toContain(`127.0.0.1:${server().port}`);

      server().start();
      const failedBefore = answers.length;
      await until('requests succeed again', 15_000, async () =>
        answers.slice(failedBefore).some((a) => a.status === 201),
      );
      await until('/healthz is well again', 10_000, async () => (await health()) === 200);
    } finally {
      traffic = false;
      await worker.catch(() => {});
    }

    expect(answers.filter((a) => a.status !== 201 && a.status !== 503)).toEqual([]);
    // Bounded: refused connections and timeouts both answer within a few seconds.
    expect(Math.max(...answers.map((a) => a.ms))).toBeLessThan(6_000);
    await running.close();
    running = undefined;

    // Every acknowledged request is stored; nothing half-applied: each stored request has its
    // audit entry and each entry its request, in one unbroken chain.
    const store = await openPostgresStore({ url, log: () => {} });
    try {
      const ids = new Set((await store.listRequests()).map((r) => r.id));
      for (const a of answers) if (a.status === 201) expect(ids).toContain(a.id);
      const trail = await store.readAudit();
      const created = trail.filter((e) => e.action === 'request.created').map((e) => e.subject);
      expect(new Set(created)).toEqual(ids);
      const last = trail.at(-1);
      expect(
        verifyAuditLines(
          trail.map((e) => formatAuditLine(e)),
          last && { seq: last.seq, hash: last.hash },
        ).ok,
      ).toBe(true);
    } finally {
      await store.close();
    }
  }, 120_000);
});
