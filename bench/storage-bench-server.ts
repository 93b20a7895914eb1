/**
 * The servers the storage benchmark measures, in a child process so that the load generator
 * does not share their event loop: the service on the embedded store and on PostgreSQL (a
 * throwaway server of Debian's package), both holding the same seeded approved requests, a
 * second PostgreSQL replica, and a round-robin proxy over the two replicas. Started by
 * storage-bench.ts; reports its URLs over IPC and stops on "stop".
 */
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer } from '@clearance/approval-service';
import {
  copyStore,
  openLowdbStore,
  openPostgresStore,
  startPostgresServer,
} from '@clearance/approval-service/testing';
import { benchConfigYaml } from './service-bench-fixture.js';
import { seedApprovedRequests } from './seed-store.js';
import type { StorageBenchServers } from './storage-bench.js';

/** A plain HTTP proxy handing each request to the next upstream in turn. */
function roundRobin(upstreams: string[]): Promise<{ url: string; close(): Promise<void> }> {
  let next = 0;
  const server = createServer((req, res) => {
    const target = new URL(upstreams[next++ % upstreams.length] ?? '');
    const forwarded = httpRequest(
      {
        host: target.hostname,
        port: target.port,
        method: req.method,
        path: req.url,
        headers: req.headers,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forwarded.on('error', () => {
      res.writeHead(502).end();
    });
    req.pipe(forwarded);
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}`,
        close: () => new Promise<void>((done) => server.close(() => done())),
      });
    });
  });
}

async function main(): Promise<void> {
  const count = Number(process.env.BENCH_SEED ?? 5000);
  const root = await mkdtemp(join(tmpdir(), 'clearance-storage-bench-'));
  const configPath = join(root, 'config.yaml');
  await writeFile(configPath, benchConfigYaml());
  const lowdbDir = join(root, 'lowdb');
  const pgDirs = [join(root, 'pg-a'), join(root, 'pg-b')];
  const silent = { log: () => undefined };
  const postgres = await startPostgresServer();
  const stops: (() => Promise<void>)[] = [
    () => postgres.stopAndRemove(),
    () => rm(root, { recursive: true, force: true }),
  ];
  try {
    const items = await seedApprovedRequests(lowdbDir, configPath, count);
    const databaseUrl = await postgres.createDatabase();
    const from = await openLowdbStore({ dataDir: lowdbDir });
    const into = await openPostgresStore({ url: databaseUrl, ...silent });
    await copyStore(from, into);
    await Promise.all([from.close(), into.close()]);
    for (const dir of pgDirs)
      await cp(join(lowdbDir, 'keys'), join(dir, 'keys'), { recursive: true });
    const serve = async (dataDir: string, url: string) => {
      const running = await startServer({
        configPath,
        dataDir,
        port: 0,
        host: '127.0.0.1',
        databaseUrl: url,
        ...silent,
      });
      stops.unshift(() => running.close());
      return running;
    };
    const lowdb = await serve(lowdbDir, '');
    const [a, b] = [
      await serve(pgDirs[0] ?? '', databaseUrl),
      await serve(pgDirs[1] ?? '', databaseUrl),
    ];
    const proxy = await roundRobin([a.url, b.url]);
    stops.unshift(() => proxy.close());
    const ready: StorageBenchServers = {
      lowdbUrl: lowdb.url,
      postgresUrl: a.url,
      replicasUrl: proxy.url,
      items,
    };
    process.send?.({ type: 'ready', servers: ready });
  } catch (err) {
    for (const stop of stops) await stop().catch(() => {});
    throw err;
  }
  process.on('message', (message) => {
    if (message !== 'stop') return;
    void (async () => {
      for (const stop of stops) await stop().catch(() => {});
      process.disconnect?.();
    })();
  });
}

main().catch((err: unknown) => {
  process.send?.({ type: 'error', message: err instanceof Error ? err.message : String(err) });
  process.exitCode = 1;
  process.disconnect?.();
});
