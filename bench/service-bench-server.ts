/**
 * The servers the service benchmark measures, run in a child process so that the load
 * generator does not share their event loop: the approval service on a data directory seeded
 * with approved requests, the service on an empty one, and the bare baseline (bare-server.ts)
 * answering as the service did.
 * Started by service-bench.ts; reports its URLs over IPC and stops on "stop".
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer } from '@clearance/approval-service';
import type { CheckItem, CheckResult } from '@clearance/client';
import { startBare, type BareAnswers } from './bare-server.js';
import {
  benchConfigYaml,
  benchStack,
  benchTokens,
  flowRequestBody,
  type BenchServers,
} from './service-bench-fixture.js';
import { seedApprovedRequests } from './seed-store.js';

/** What the service answers: every seeded item checked, and the sizes of a flow's answers. */
async function serviceAnswers(
  seededUrl: string,
  emptyUrl: string,
  items: CheckItem[],
): Promise<BareAnswers> {
  const post = async (url: string, token: string, body: unknown) => {
    const res = await fetch(url, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`${url}: ${res.status}`);
    return res.text();
  };
  const checked = JSON.parse(
    await post(`${seededUrl}/v1/checks`, benchTokens.carol, { stack: benchStack, items }),
  ) as { results: CheckResult[] };
  const created = await post(`${emptyUrl}/v1/requests`, benchTokens.carol, flowRequestBody(0));
  const { id } = JSON.parse(created) as { id: string };
  const review = { decision: 'approve', reason: 'bench' };
  await post(`${emptyUrl}/v1/requests/${id}/reviews`, benchTokens.alice, review);
  const approved = await post(`${emptyUrl}/v1/requests/${id}/reviews`, benchTokens.bob, review);
  return {
    checks: new Map(checked.results.map((r) => [r.urn, r])),
    requestBytes: Buffer.byteLength(created),
    reviewBytes: Buffer.byteLength(approved),
  };
}

async function main(): Promise<void> {
  const count = Number(process.env.BENCH_SEED ?? 5000);
  const root = await mkdtemp(join(tmpdir(), 'clearance-bench-'));
  const configPath = join(root, 'config.yaml');
  await writeFile(configPath, benchConfigYaml());
  const seededDir = join(root, 'seeded');
  const emptyDir = join(root, 'empty');
  const silent = { log: () => undefined };
  const started = performance.now();
  const items = await seedApprovedRequests(seededDir, configPath, count);
  const seedMs = performance.now() - started;
  const seeded = await startServer({
    configPath,
    dataDir: seededDir,
    port: 0,
    host: '127.0.0.1',
    ...silent,
  });
  const empty = await startServer({
    configPath,
    dataDir: emptyDir,
    port: 0,
    host: '127.0.0.1',
    ...silent,
  });
  const answers = await serviceAnswers(seeded.url, empty.url, items);
  const bare = await startBare(answers, join(root, 'bare-journal.jsonl'));
  const ready: BenchServers = {
    bareUrl: bare.url,
    seededUrl: seeded.url,
    emptyUrl: empty.url,
    items,
    seedMs,
  };
  process.send?.({ type: 'ready', servers: ready });
  process.on('message', (message) => {
    if (message !== 'stop') return;
    void (async () => {
      await Promise.all([bare.close(), seeded.close(), empty.close()]);
      await rm(root, { recursive: true, force: true });
      process.disconnect?.();
    })();
  });
}

main().catch((err: unknown) => {
  process.send?.({ type: 'error', message: err instanceof Error ? err.message : String(err) });
  process.exitCode = 1;
  process.disconnect?.();
});
