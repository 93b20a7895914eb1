import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { chmod, chown, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A PostgreSQL server of Debian's `postgresql` package, started for one test file. */
export interface PostgresServer {
  host: string;
  port: number;
  /** A connection URL for `database` (default `postgres`). */
  url(database?: string): string;
  /** Creates a new empty database and returns its connection URL. */
  createDatabase(): Promise<string>;
  /** Stops the server (fast shutdown), keeping its data: `start` brings it back. */
  stop(): void;
  start(): void;
}

const USER = 'clearance';

/** The newest installed PostgreSQL's bin directory, or undefined without the package. */
export function postgresBinDir(): string | undefined {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).filter((v) => /^\d+$/.test(v)) : [];
  return versions
    .sort((a, b) => Number(b) - Number(a))
    .map((v) => join(root, v, 'bin'))
    .find((bin) => existsSync(join(bin, 'pg_ctl')) && existsSync(join(bin, 'initdb')));
}

/**
 * Whether the PostgreSQL tests of this file run. Without the package they are skipped with one
 * loud line, except under `CI=true`, where they run (and fail) instead.
 */
export function postgresAvailable(file: string): boolean {
  if (postgresBinDir() || process.env.CI === 'true') return true;
  console.warn(
    `!!! SKIPPED: the PostgreSQL tests of ${file}: Debian's postgresql package is not installed (apt-get install postgresql); under CI=true they fail instead.`,
  );
  return false;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** initdb refuses root: as root, the server's commands run as the package's `postgres` user. */
function asServerUser(command: string, args: string[]): [string, string[]] {
  return process.getuid?.() === 0
    ? ['runuser', ['-u', 'postgres', '--', command, ...args]]
    : [command, args];
}

function run(command: string, args: string[]): void {
  const [file, argv] = asServerUser(command, args);
  execFileSync(file, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
}

/**
 * Starts a throwaway server in a temporary folder on a free port (trust authentication on
 * 127.0.0.1 only, no fsync: tests only). `stopAndRemove` stops it and deletes the folder; an
 * exit hook does the same if the process ends first.
 */
export async function startPostgresServer(): Promise<
  PostgresServer & { stopAndRemove(): Promise<void> }
> {
  const bin = postgresBinDir();
  if (!bin)
    throw new Error("PostgreSQL is not installed: apt-get install postgresql (Debian's package)");
  const dir = await mkdtemp(join(tmpdir(), 'clearance-pg-'));
  const data = join(dir, 'data');
  if (process.getuid?.() === 0) {
    const [uid, gid] = ['-u', '-g'].map((flag) =>
      Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim()),
    ) as [number, number];
    await chown(dir, uid, gid);
  }
  await chmod(dir, 0o700);
  const port = await freePort();
  const pgCtl = join(bin, 'pg_ctl');
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`;
  const start = () =>
    run(pgCtl, ['-D', data, '-l', join(dir, 'log'), '-o', options, '-w', 'start']);
  const stop = () => run(pgCtl, ['-D', data, '-m', 'fast', '-w', 'stop']);
  run(join(bin, 'initdb'), ['-D', data, '-U', USER, '-A', 'trust', '--no-sync', '-E', 'UTF8']);
  start();
  let running = true;
  const onExit = () => {
    if (!running) return;
    const [file, argv] = asServerUser(pgCtl, ['-D', data, '-m', 'immediate', 'stop']);
    spawnSync(file, argv, { stdio: 'ignore' });
  };
  process.once('exit', onExit);
  let next = 0;
  const url = (database = 'postgres') => `postgres://${USER}@127.0.0.1:${port}/${database}`;
  return {
    host: '127.0.0.1',
    port,
    url,
    async createDatabase() {
      const name = `t${process.pid}_${next++}`;
      const { default: pg } = await import('pg');
      const client = new pg.Client({ connectionString: url() });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE ${name}`);
      } finally {
        await client.end();
      }
      return url(name);
    },
    stop() {
      stop();
      running = false;
    },
    start() {
      start();
      running = true;
    },
    async stopAndRemove() {
      process.off('exit', onExit);
      if (running) {
        try {
          stop();
        } catch {
          onExit();
        }
        running = false;
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}
