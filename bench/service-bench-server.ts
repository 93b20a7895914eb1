/**
 * The servers the service benchmark measures, run in a child process so that the load
 * generator does not share their event loop: a bare Hono endpoint, the approval service on
 * a data directory seeded with approved requests, and the service on an empty one.
 * Started by service-bench.ts; reports its URLs over IPC and stops on "stop".
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Hono } from 'hono';
import { startServer } from '@clearance/approval-service';
import { serveOnLoopback } from '@clearance/approval-service/testing';
import { benchConfigYaml, type BenchServers } from './service-bench-fixture.js';
import { seedApprovedRequests } from './seed-store.js';

function startBare() {
  const app = new Hono().get('/bare', (c) => c.json({ ok: true, service: 'bare' }));
  return serveOnLoopback(app.fetch);
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
  const bare = await startBare();
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
