import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createLocalJWKSet, decodeProtectedHeader } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditDir } from '../../service/verify-audit-dir.js';
import { ClearanceClient, systemClock, verifyApprovalToken } from '@clearance/client';
import type { RequestView } from '@clearance/client';
import { startServer, type RunningServer } from '../../server.js';
import { runCli } from '../test-io.case.js';
import {
  requestArgs,
  startTestService,
  testTokens,
  type TestService,
} from '../test-service.case.js';

let svc: TestService;
let restarted: RunningServer | undefined;

beforeAll(async () => {
  svc = await startTestService();
});
afterAll(async () => {
  await restarted?.close();
  await svc.close();
});

async function approvedToken(env: (user: 'alice' | 'bob' | 'carol') => Record<string, string>) {
  const { out } = await runCli([...requestArgs(), '--json'], env('carol'));
  const { id } = JSON.parse(out) as RequestView;
  await runCli(['approve', id, '--reason', 'ok'], env('alice'));
  const approved = await runCli(['approve', id, '--reason', 'ok', '--json'], env('bob'));
  return JSON.parse(approved.out) as RequestView;
}

describe('clearance rotate-key', () => {
  it('refuses while the service runs, then rotates so that old tokens keep verifying', async () => {
    const before = await approvedToken((u) => svc.env(u));
    const oldKid = decodeProtectedHeader(before.token ?? '').kid;
    const args = ['rotate-key', '--config', svc.configPath, '--data-dir', svc.dataDir];

    const busy = await runCli(args);
    expect(busy.code).toBe(1);
    expect(busy.err).toMatch(/^clearance rotate-key: stop the service first: the data directory /);

    await svc.stop();
    const rotated = await runCli(args);
    expect(rotated.err).toBe('');
    expect(rotated.code).toBe(0);
    const newKid = /signed with key (\S+)\./.exec(rotated.out)?.[1];
    expect(newKid).toBeDefined();
    expect(newKid).not.toBe(oldKid);
    expect(rotated.out).toContain(`Key ${oldKid} stays in the JWKS until `);
    expect((await readdir(join(svc.dataDir, 'keys'))).sort()).toEqual(
      [`${newKid}.key.json`, `${oldKid}.key.json`].sort(),
    );
    const retired = JSON.parse(
      await readFile(join(svc.dataDir, 'keys', `${oldKid}.key.json`), 'utf8'),
    ) as { retiredAt: string; publishUntil: string };
    expect(Date.parse(retired.publishUntil) - Date.parse(retired.retiredAt)).toBe(3600_000);

    restarted = await startServer({
      configPath: svc.configPath,
      dataDir: svc.dataDir,
      port: 0,
      log: () => undefined,
    });
    const env = (user: keyof typeof testTokens) => ({
      CLEARANCE_URL: restarted?.url ?? '',
      CLEARANCE_TOKEN: testTokens[user],
    });
    const jwks = await new ClearanceClient({ url: restarted.url, token: 'none' }).jwks();
    expect(jwks.keys.map((k) => k.kid)).toEqual([newKid, oldKid]);
    const binding = { stack: before.stack, urn: before.urn, policy: before.policy };
    const claims = await verifyApprovalToken(
      before.token ?? '',
      createLocalJWKSet(jwks),
      { ...binding, fingerprint: before.fingerprint },
      { clock: systemClock },
    );
    expect(claims.rid).toBe(before.id);
    const after = await approvedToken(env);
    expect(decodeProtectedHeader(after.token ?? '').kid).toBe(newKid);
    await restarted.close();
    restarted = undefined;

    const audit = await readFile(join(svc.dataDir, 'audit.jsonl'), 'utf8');
    const rotation = audit
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { action: string; subject: string; data?: unknown })
      .find((e) => e.action === 'key.rotated');
    expect(rotation).toMatchObject({
      subject: newKid,
      data: { retiredKid: oldKid, publishUntil: retired.publishUntil },
    });
    expect((await verifyAuditDir(svc.dataDir)).ok).toBe(true);
  });

  it('needs a configuration', async () => {
    const { code, err } = await runCli(['rotate-key', '--data-dir', svc.dataDir]);
    expect(code).toBe(1);
    expect(err).toContain(
      'no configuration: pass --config FILE, set CLEARANCE_CONFIG, or use --demo',
    );
  });
});
