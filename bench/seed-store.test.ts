import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditDir } from '@clearance/approval-service';
import { ClearanceClient } from '@clearance/client';
import { startServer } from '@clearance/approval-service';
import { benchConfigYaml, benchStack, benchTokens } from './service-bench-fixture.js';
import { seedApprovedRequests } from './seed-store.js';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'clearance-seed-'));
});
afterAll(() => rm(root, { recursive: true, force: true }));

describe('seedApprovedRequests', () => {
  it('writes a data directory the real store opens, with an intact audit trail and live approvals', async () => {
    const configPath = join(root, 'config.yaml');
    const dataDir = join(root, 'data');
    await writeFile(configPath, benchConfigYaml());
    const items = await seedApprovedRequests(dataDir, configPath, 12);
    expect(new Set(items.map((i) => i.fingerprint)).size).toBe(12);

    const audit = await verifyAuditDir(dataDir);
    expect(audit.problems).toEqual([]);
    // key.created, then per request: created, two reviews, approved, token issued
    expect(audit.count).toBe(1 + 12 * 5);

    const server = await startServer({ configPath, dataDir, port: 0, log: () => undefined });
    try {
      const client = new ClearanceClient({ url: server.url, token: benchTokens.carol });
      const { results } = await client.checks({ stack: benchStack, items });
      expect(results.map((r) => r.status)).toEqual(items.map(() => 'approved'));
      const { approvals, keys } = await client.approvals(benchStack);
      expect(approvals).toHaveLength(12);
      expect(keys.keys).toHaveLength(1);
    } finally {
      await server.close();
    }
  });
});
