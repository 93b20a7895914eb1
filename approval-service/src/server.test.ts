import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLocalJWKSet } from 'jose';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { verifyAuditDir } from './service/verify-audit-dir.js';
import {
  ClearanceClient,
  isClearanceError,
  ManualClock,
  verifyApprovalToken,
} from '@clearance/client';
import type { AuditEntry } from './domain/model.js';
import { demoConfigPath, requestBody, requestFor } from './http/app-harness.case.js';
import { ABANDONED } from './notify/index.js';
import { startServer, type RunningServer, type StartServerOptions } from './server.js';
import { openLowdbStore } from './store/lowdb-store.js';

let root: string;
let dataDir: string;
let configPath: string;
const running: RunningServer[] = [];

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'clearance-server-'));
  dataDir = join(root, 'data');
  configPath = join(root, 'config.yaml');
  await copyFile(demoConfigPath, configPath);
});
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.close()));
  await rm(root, { recursive: true, force: true });
});

async function start(
  clock = new ManualClock('2026-01-05T09:00:00Z'),
  lines: string[] = [],
  more: Partial<StartServerOptions> = {},
) {
  const server = await startServer({
    configPath,
    dataDir,
    port: 0,
    clock,
    log: (l) => lines.push(l),
    ...more,
  });
  running.push(server);
  const client = (token: string) =>
    new ClearanceClient({ url: server.url, token, timeoutMs: 5000 });
  return {
    server,
    clock,
    lines,
    carol: client('demo-carol'),
    alice: client('demo-alice'),
    bob: client('demo-bob'),
  };
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (err) {
    if (isClearanceError(err)) return err.code;
    throw err;
  }
  return 'none';
}

describe('startServer', () => {
  it('runs the full flow over a real socket', async () => {
    const { server, carol, alice, bob, clock } = await start();
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(await carol.health()).toEqual({ ok: true });
    const created = await carol.createRequest(requestBody);
    expect(created.url).toBe(`${server.consoleUrl}/requests/${created.id}`);
    expect(await carol.createRequest(requestBody)).toMatchObject({ id: created.id });
    const first = await alice.review(created.id, { decision: 'approve', reason: 'ok' });
    expect(first).toMatchObject({ status: 'pending', progress: { text: '1 of 2 managers' } });
    expect(await codeOf(alice.review(created.id, { decision: 'approve' }))).toBe(
      'ERR_ALREADY_VOTED',
    );
    expect(await codeOf(carol.review(created.id, { decision: 'approve' }))).toBe('ERR_SELF_REVIEW');
    const approved = await bob.review(created.id, { decision: 'approve', reason: 'ok' });
    expect(approved.status).toBe('approved');
    const keys = createLocalJWKSet(await carol.jwks());
    const claims = await verifyApprovalToken(
      approved.token ?? '',
      keys,
      { ...requestBody },
      { clock },
    );
    expect(claims).toMatchObject({
      rid: created.id,
      org: 'acme',
      project: 'web',
      approvers: ['alice', 'bob'],
    });
    const { approvals } = await carol.approvals(requestBody.stack);
    expect(approvals.map((a) => a.id)).toEqual([created.id]);
  });

  it('prints the console URL and warns loudly on the demo configuration', async () => {
    const { server, lines } = await start();
    expect(server.consoleUrl).toBe(`http://localhost:${new URL(server.url).port}`);
    expect(lines.join('\n')).toMatch(/WARNING: running on the DEMO configuration/);
    expect(lines).toContain(`Console: ${server.consoleUrl}/`);
    await writeFile(
      configPath,
      (await readFile(configPath, 'utf8')).replace('demo: true', 'demo: false'),
    );
    const out: string[] = [];
    const again = await startServer({
      configPath,
      dataDir: join(root, 'other'),
      port: 0,
      log: (l) => out.push(l),
    });
    running.push(again);
    expect(out.join('\n')).not.toMatch(/DEMO/);
  });

  it('keeps every acknowledged request and review across a restart, with a verifiable audit trail', async () => {
    const first = await start();
    const created = await first.carol.createRequest(requestBody);
    await first.alice.review(created.id, { decision: 'approve', reason: 'ok' });
    const other = await first.carol.createRequest(requestFor({ material: { state: 4 } }));
    const kid = (await first.carol.jwks()).keys[0]?.kid;
    await first.server.close();
    running.length = 0;

    const second = await start(first.clock);
    const read = await second.carol.getRequest(created.id);
    expect(read).toMatchObject({ status: 'pending', progress: { text: '1 of 2 managers' } });
    expect(read.reviews.map((r) => r.reviewer)).toEqual(['alice']);
    expect((await second.carol.getRequest(other.id)).status).toBe('pending');
    expect(await codeOf(second.alice.review(created.id, { decision: 'approve' }))).toBe(
      'ERR_ALREADY_VOTED',
    );
    const approved = await second.bob.review(created.id, { decision: 'approve' });
    expect(approved.status).toBe('approved');
    expect((await second.carol.jwks()).keys[0]?.kid).toBe(kid);
    await second.server.close();
    running.length = 0;

    const verified = await verifyAuditDir(dataDir);
    expect(verified.problems).toEqual([]);
    expect(verified.ok).toBe(true);
    const trail = await readFile(join(dataDir, 'audit.jsonl'), 'utf8');
    expect(
      trail
        .split('\n')
        .filter(Boolean)
        .map((l) => (JSON.parse(l) as { action: string }).action),
    ).toEqual([
      'key.created',
      'request.created',
      'review.approve',
      'request.created',
      'review.approve',
      'request.approved',
      'token.issued',
    ]);
    await writeFile(
      join(dataDir, 'audit.jsonl'),
      trail.replace('"actor":"alice"', '"actor":"mallory"'),
    );
    expect((await verifyAuditDir(dataDir)).ok).toBe(false);
  });

  it('verifies the audit trail at start from its last signed checkpoint on; audit verify still checks all of it', async () => {
    const first = await start();
    const created = await first.carol.createRequest(requestBody);
    await first.alice.review(created.id, { decision: 'approve', reason: 'ok' });
    await first.server.close(); // signs the head
    running.length = 0;
    const auditPath = join(dataDir, 'audit.jsonl');
    const trail = await readFile(auditPath, 'utf8');
    // An entry the checkpoint covers, edited with its hash kept: only re-hashing it would tell.
    const edited = trail.replace('"actor":"alice"', '"actor":"mallory"');
    expect(edited).not.toBe(trail);
    await writeFile(auditPath, edited);
    const second = await start(first.clock);
    expect((await second.carol.getRequest(created.id)).reviews).toHaveLength(1);
    await second.server.close();
    running.length = 0;
    expect((await verifyAuditDir(dataDir)).problems.map((p) => p.kind)).toContain('edited');

    // The entry the checkpoint signed itself may not differ.
    const signed = (await readFile(auditPath, 'utf8')).trimEnd().split('\n');
    const last = JSON.parse(signed.at(-1)!) as AuditEntry;
    signed[signed.length - 1] = JSON.stringify({ ...last, hash: 'f'.repeat(64) });
    await writeFile(auditPath, `${signed.join('\n')}\n`);
    await expect(start(first.clock)).rejects.toMatchObject({ code: 'ERR_STORE_CORRUPT' });
  });

  it('writes one chained audit line per request, review, token, revocation, expiry and failed authentication, without secrets', async () => {
    const { server, carol, alice, bob, clock } = await start();
    const created = await carol.createRequest(requestBody);
    await alice.review(created.id, { decision: 'approve', reason: 'ok' });
    const approved = await bob.review(created.id, { decision: 'approve', reason: 'ok' });
    await carol.revoke(created.id, { reason: 'done' });
    const lapsing = await carol.createRequest(requestFor({ material: { state: 5 } }));
    clock.advanceSeconds(86_400);
    expect(await server.services.requests.expireDue()).toBe(1);
    const refused = await fetch(`${server.url}/v1/requests`, {
      headers: { authorization: 'Bearer demo-mallory-guess' },
    });
    expect(refused.status).toBe(401);
    await server.close();
    running.length = 0;

    const text = await readFile(join(dataDir, 'audit.jsonl'), 'utf8');
    const lines = text.trimEnd().split('\n');
    const entries = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(entries.map((e) => [e.action, e.actor, e.subject])).toEqual([
      ['key.created', 'system', expect.any(String)],
      ['request.created', 'carol', created.id],
      ['review.approve', 'alice', created.id],
      ['review.approve', 'bob', created.id],
      ['request.approved', 'bob', created.id],
      ['token.issued', 'bob', created.id],
      ['request.revoked', 'carol', created.id],
      ['request.created', 'carol', lapsing.id],
      ['request.expired', 'system', lapsing.id],
      ['auth.failed', 'anonymous', expect.any(String)],
    ]);
    entries.forEach((entry, i) => {
      expect(entry).toMatchObject({ seq: i + 1, time: expect.any(String) });
      expect(entry.prevHash).toBe(i === 0 ? '0'.repeat(64) : entries[i - 1]?.hash);
    });
    const [, , signature] = (approved.token ?? '').split('.');
    for (const secret of [approved.token, signature, 'demo-alice', 'demo-bob', 'demo-carol']) {
      expect(text).not.toContain(secret);
    }
    expect(text).not.toContain('mallory-guess');
    expect((await verifyAuditDir(dataDir)).ok).toBe(true);
  });

  it('sweeps lapsed requests to expired on start', async () => {
    const first = await start();
    const created = await first.carol.createRequest(requestBody);
    await first.server.close();
    running.length = 0;
    first.clock.advanceSeconds(86_400);
    const second = await start(first.clock);
    expect((await second.carol.getRequest(created.id)).status).toBe('expired');
    expect((await second.carol.listRequests({ status: 'expired' })).map((r) => r.id)).toEqual([
      created.id,
    ]);
  });

  it('refuses a second server on the same data directory and a broken config', async () => {
    await start();
    await expect(
      startServer({ configPath, dataDir, port: 0, log: () => undefined, lockWaitMs: 0 }),
    ).rejects.toSatisfy((err) => isClearanceError(err, 'ERR_STORE_LOCKED'));
    await writeFile(
      configPath,
      'defaultRule: { approvals: 0, approverGroups: [], maxDurationSeconds: 60 }\n',
    );
    const err: unknown = await startServer({ configPath, dataDir: join(root, 'x'), port: 0 }).catch(
      (e: unknown) => e,
    );
    expect(isClearanceError(err, 'ERR_CONFIG')).toBe(true);
    expect((err as Error).message).toContain(`${configPath}: invalid configuration`);
    expect((err as Error).message).toContain('defaultRule.approvals');
  });

  it('hands its store settings to the embedded store', async () => {
    const phases: string[] = [];
    const { carol } = await start(undefined, [], {
      store: { compactAfterBytes: 0, onCompaction: (phase) => phases.push(phase) },
    });
    await carol.createRequest(requestBody);
    expect(phases.slice(0, 2)).toEqual(['start', 'end']);
  });

  it('closes cleanly and only once', async () => {
    const { server } = await start();
    await Promise.all([server.close(), server.close()]);
    running.length = 0;
    await expect(fetch(`${server.url}/healthz`)).rejects.toThrow();
    const reopened = await start();
    expect(await reopened.carol.health()).toEqual({ ok: true });
  });

  it('sends the webhooks of the config and audits a delivery that failed', async () => {
    const received: string[] = [];
    const receiver: Server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        received.push(body);
        res.end('ok');
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const port = (receiver.address() as AddressInfo).port;
    try {
      const hooks = [
        `{ name: chat, format: slack, url: 'http://127.0.0.1:${port}/hook' }`,
        `{ name: gone, format: slack, url: 'http://127.0.0.1:1/hook' }`,
      ];
      const yaml = `\nnotifications: { webhooks: [${hooks.join(', ')}], retry: { attempts: 1 }, timeoutMs: 2000 }\n`;
      await writeFile(configPath, (await readFile(configPath, 'utf8')) + yaml);
      const { carol, alice } = await start();
      const created = await carol.createRequest(requestBody);
      await vi.waitFor(() => expect(received).toHaveLength(1), { timeout: 5000 });
      expect(received[0]).toContain(created.id);
      await vi.waitFor(
        async () => {
          const res = await fetch(`${running[0]?.url}/v1/audit?action=webhook.failed`, {
            headers: { authorization: 'Bearer demo-alice' },
          });
          const { entries } = (await res.json()) as {
            entries: { subject: string; data: { webhook: string } }[];
          };
          expect(entries.map((e) => [e.subject, e.data.webhook])).toEqual([[created.id, 'gone']]);
        },
        { timeout: 5000 },
      );
      expect((await alice.getRequest(created.id)).status).toBe('pending');
    } finally {
      await new Promise((resolve) => receiver.close(resolve));
    }
  });

  describe('closing with webhook deliveries under way', () => {
    /** A webhook receiver on loopback that answers each path's status after `delayMs`, or never. */
    async function slowReceiver(delayMs: number | 'never') {
      const answered: string[] = [];
      const receiver: Server = createServer((req, res) => {
        req.resume();
        if (delayMs === 'never') return;
        setTimeout(() => {
          res.statusCode = req.url === '/fail' ? 500 : 204;
          res.end(() => answered.push(req.url ?? ''));
        }, delayMs);
      });
      await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
      const port = (receiver.address() as AddressInfo).port;
      receivers.push(receiver);
      return { port, answered };
    }
    const receivers: Server[] = [];
    afterEach(async () => {
      for (const r of receivers.splice(0)) {
        r.closeAllConnections();
        await new Promise((resolve) => r.close(resolve));
      }
    });

    async function withWebhooks(port: number, names: string[]) {
      const hooks = names.map(
        (name) => `{ name: ${name}, format: slack, url: 'http://127.0.0.1:${port}/${name}' }`,
      );
      const yaml = `\nnotifications: { webhooks: [${hooks.join(', ')}], retry: { attempts: 1 }, timeoutMs: 5000 }\n`;
      await writeFile(configPath, (await readFile(configPath, 'utf8')) + yaml);
    }

    async function failedDeliveries() {
      const store = await openLowdbStore({ dataDir });
      try {
        const entries = await store.readAudit({ action: 'webhook.failed' });
        return entries.map((e) => ({ subject: e.subject, ...(e.data as object) }));
      } finally {
        await store.close();
      }
    }

    it('lets a slow delivery land, and audits one that fails, before close() resolves', async () => {
      const receiver = await slowReceiver(200);
      await withWebhooks(receiver.port, ['ok', 'fail']);
      const { server, carol, lines } = await start();
      const created = await carol.createRequest(requestBody);
      await server.close();
      expect(receiver.answered.sort()).toEqual(['/fail', '/ok']);
      expect(await failedDeliveries()).toMatchObject([
        { subject: created.id, webhook: 'fail', event: 'request.created', error: 'HTTP 500' },
      ]);
      expect(lines.join('\n')).not.toMatch(/abandon|not audited/);
    });

    it('gives up after the grace on a receiver that never answers, and says so', async () => {
      const receiver = await slowReceiver('never');
      await withWebhooks(receiver.port, ['chat']);
      const { server, carol, lines } = await start(undefined, undefined, { shutdownGraceMs: 200 });
      const created = await carol.createRequest(requestBody);
      const started = performance.now();
      await server.close();
      const took = performance.now() - started;
      expect(took).toBeGreaterThanOrEqual(150);
      expect(took).toBeLessThan(3000);
      expect(lines).toContain(
        `shutdown: abandoned 1 webhook delivery still under way after 200 ms: chat (request.created of ${created.id})`,
      );
      expect(lines.join('\n')).not.toContain(String(receiver.port));
      expect(await failedDeliveries()).toMatchObject([
        { subject: created.id, webhook: 'chat', attempts: 1, error: ABANDONED },
      ]);
    });
  });

  it('signs the audit trail at start, every N entries and at shutdown, and posts each checkpoint to the anchor', async () => {
    const received: { headers: Record<string, unknown>; body: string }[] = [];
    const receiver: Server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        received.push({ headers: req.headers, body });
        res.end('ok');
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const port = (receiver.address() as AddressInfo).port;
    vi.stubEnv('ANCHOR_SECRET', 'anchor-secret-of-at-least-32-characters');
    try {
      const hook = `{ name: anchor, format: json, url: 'http://127.0.0.1:${port}/anchor', secretEnv: ANCHOR_SECRET, events: [audit.checkpoint] }`;
      const yaml = `\nnotifications: { webhooks: [${hook}], retry: { attempts: 1 } }\n`;
      const demo = await readFile(configPath, 'utf8');
      expect(demo).toContain('checkpointEvery: 100');
      await writeFile(
        configPath,
        demo.replace('checkpointEvery: 100', 'checkpointEvery: 2') + yaml,
      );
      const { server, carol, alice, bob } = await start();
      const jwks = await carol.jwks();
      const created = await carol.createRequest(requestBody);
      await alice.review(created.id, { decision: 'approve', reason: 'ok' });
      await bob.review(created.id, { decision: 'approve', reason: 'ok' });
      await server.close();
      running.length = 0;
      const bodies = received.map(
        (r) => JSON.parse(r.body) as { type: string; checkpoint: { seq: number; jws: string } },
      );
      expect(bodies.map((b) => [b.type, b.checkpoint.seq])).toEqual([
        ['audit.checkpoint', 1],
        ['audit.checkpoint', 3],
        ['audit.checkpoint', 6],
      ]);
      expect(received[0]?.headers['x-clearance-event']).toBe('audit.checkpoint');
      const checkpoints = (await readFile(join(dataDir, 'audit-checkpoints.log'), 'utf8'))
        .split('\n')
        .filter(Boolean);
      expect(checkpoints).toEqual(bodies.map((b) => b.checkpoint.jws));
      const verified = await verifyAuditDir(dataDir, {
        requireSignatures: true,
        jwks,
        anchored: bodies.map((b) => b.checkpoint.jws),
      });
      expect(verified.problems).toEqual([]);
      expect(verified.signatures).toMatchObject({ checkpoints: 3, signedThrough: 6, unsigned: 0 });
    } finally {
      vi.unstubAllEnvs();
      await new Promise((resolve) => receiver.close(resolve));
    }
  });

  it('refuses to start on a trail cut below its last signed checkpoint', async () => {
    const first = await start();
    await first.carol.createRequest(requestBody);
    await first.server.close();
    running.length = 0;
    const trail = join(dataDir, 'audit.jsonl');
    const [keyCreated] = (await readFile(trail, 'utf8')).split('\n');
    const forgery = join(root, 'forgery');
    const forged = await openLowdbStore({ dataDir: forgery });
    const {
      seq: _s,
      prevHash: _p,
      hash: _h,
      ...event
    } = JSON.parse(keyCreated ?? '') as AuditEntry;
    await forged.appendAudit([event]);
    await forged.close();
    for (const file of ['db.json', 'journal.jsonl', 'audit.jsonl']) {
      await copyFile(join(forgery, file), join(dataDir, file));
    }
    const err: unknown = await start().catch((e: unknown) => e);
    expect(isClearanceError(err, 'ERR_AUDIT_CHECKPOINT_INVALID')).toBe(true);
    expect((err as Error).message).toMatch(
      /^the audit trail ends at seq 1, before its last signed checkpoint \(seq 2\): entries were removed/,
    );
    expect((err as Error).message).not.toContain(root);
  });

  it('names the config file when its notifications are wrong', async () => {
    await writeFile(
      configPath,
      (await readFile(configPath, 'utf8')) +
        '\nnotifications: { webhooks: [{ name: x, format: fax }] }\n',
    );
    const err: unknown = await startServer({ configPath, dataDir, port: 0 }).catch(
      (e: unknown) => e,
    );
    expect(isClearanceError(err, 'ERR_CONFIG')).toBe(true);
    expect((err as Error).message.startsWith(`${configPath}: `)).toBe(true);
    expect((err as Error).message).toContain('notifications.webhooks[0].format');
  });
});
