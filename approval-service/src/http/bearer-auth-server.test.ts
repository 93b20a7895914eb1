import { copyFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifyAuditDir } from '../service/verify-audit-dir.js';
import { ManualClock } from '@clearance/client';
import { startServer, type RunningServer } from '../server.js';
import { demoConfigPath } from './app-harness.case.js';

let root: string;
let server: RunningServer | undefined;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'clearance-auth-'));
});
afterEach(async () => {
  await server?.close();
  server = undefined;
  await rm(root, { recursive: true, force: true });
});

interface Line {
  action: string;
  data?: { address?: string; reason?: string; count?: number };
}

async function auditLines(dataDir: string): Promise<Line[]> {
  const text = await readFile(join(dataDir, 'audit.jsonl'), 'utf8');
  return text
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Line)
    .filter((l) => l.action === 'auth.failed');
}

describe('failed authentication over a real socket', () => {
  it('limits by the peer address and writes every pending count when the server closes', async () => {
    const configPath = join(root, 'config.yaml');
    const dataDir = join(root, 'data');
    await copyFile(demoConfigPath, configPath);
    const clock = new ManualClock('2026-01-05T09:00:00Z');
    server = await startServer({ configPath, dataDir, port: 0, clock, log: () => undefined });
    const url = `${server.url}/v1/requests`;
    const statuses: number[] = [];
    for (let i = 0; i < 25; i++) {
      const res = await fetch(url, {
        headers: { authorization: `Bearer guess-${i}`, 'x-forwarded-for': `198.51.100.${i}` },
      });
      await res.body?.cancel();
      statuses.push(res.status);
    }
    expect(statuses.filter((s) => s === 429)).toHaveLength(15);
    expect((await auditLines(dataDir)).map((l) => l.data?.count)).toEqual([1, 1]);
    await server.close();
    server = undefined;
    const lines = await auditLines(dataDir);
    expect(lines.every((l) => l.data?.address === '127.0.0.1')).toBe(true);
    expect(lines.reduce((sum, l) => sum + (l.data?.count ?? 0), 0)).toBe(25);
    expect((await verifyAuditDir(dataDir)).ok).toBe(true);
  });
});
