import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { verifyAuditDir } from '../service/verify-audit-dir.js';
import { ManualClock } from '@clearance/client';
import { testStart } from '../testing/test-app.js';
import { startTestServer, type TestServer } from '../testing/test-server.js';
import { demoConfigPath } from './app-harness.case.js';

let service: TestServer | undefined;

afterEach(async () => {
  await service?.close();
  service = undefined;
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
    const clock = new ManualClock(testStart);
    service = await startTestServer({
      configPath: demoConfigPath,
      clock,
      prefix: 'clearance-auth-',
    });
    const { dataDir } = service;
    const url = `${service.url}/v1/requests`;
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
    await service.stop();
    const lines = await auditLines(dataDir);
    expect(lines.every((l) => l.data?.address === '127.0.0.1')).toBe(true);
    expect(lines.reduce((sum, l) => sum + (l.data?.count ?? 0), 0)).toBe(25);
    expect((await verifyAuditDir(dataDir)).ok).toBe(true);
  });
});
