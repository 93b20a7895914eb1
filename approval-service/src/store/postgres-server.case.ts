import { afterAll, beforeAll } from 'vitest';
import { type PostgresServer, startPostgresServer } from '../testing/postgres-server.js';

export {
  postgresAvailable,
  postgresBinDir,
  startPostgresServer,
  type PostgresServer,
} from '../testing/postgres-server.js';

/**
 * One server for the calling test file, started before its tests and stopped after them, even
 * when they fail. Read `server()` inside tests and hooks.
 */
export function usePostgresServer(): () => PostgresServer {
  let server: Awaited<ReturnType<typeof startPostgresServer>> | undefined;
  beforeAll(async () => {
    server = await startPostgresServer();
  }, 60_000);
  afterAll(async () => {
    await server?.stopAndRemove();
  }, 60_000);
  return () => {
    if (!server) throw new Error('the PostgreSQL server did not start');
    return server;
  };
}
