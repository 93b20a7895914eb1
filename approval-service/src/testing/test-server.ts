import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAdaptorServer } from '@hono/node-server';
import { stringify } from 'yaml';
import { startServer, type RunningServer, type StartServerOptions } from '../server.js';

export interface TestServerOptions extends Omit<
  StartServerOptions,
  'configPath' | 'dataDir' | 'port'
> {
  /** The config file's content: YAML text, or an object written as YAML. */
  config?: string | Record<string, unknown>;
  /** A config file to use as it is, instead of `config`. */
  configPath?: string;
  /** How the temp directory's name starts; default `clearance-test-`. */
  prefix?: string;
}

/** The real service (`startServer`) on loopback, a free port, and a temp directory. */
export interface TestServer {
  server: RunningServer;
  url: string;
  /** The temp directory: the config file (unless one was given) and `data/`. */
  root: string;
  configPath: string;
  dataDir: string;
  /** Stops the server and keeps its files; calls after the first wait for the same stop. */
  stop(): Promise<void>;
  /** Stops the server and removes its files. */
  close(): Promise<void>;
}

/**
 * Starts the service as `clearance serve` does, quietly unless `log` is given, with the config
 * written to a temp directory (or the file given) and its data directory beside it.
 */
export async function startTestServer(options: TestServerOptions): Promise<TestServer> {
  const { config, configPath: given, prefix = 'clearance-test-', ...rest } = options;
  const root = await mkdtemp(join(tmpdir(), prefix));
  const configPath = given ?? join(root, 'config.yaml');
  const dataDir = join(root, 'data');
  try {
    if (given === undefined) {
      await writeFile(configPath, typeof config === 'string' ? config : stringify(config ?? {}));
    }
    const server = await startServer({
      log: () => undefined,
      ...rest,
      configPath,
      dataDir,
      port: 0,
    });
    const stop = () => server.close();
    return {
      server,
      url: server.url,
      root,
      configPath,
      dataDir,
      stop,
      close: async () => {
        await stop();
        await rm(root, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await rm(root, { recursive: true, force: true });
    throw err;
  }
}

/** A server on 127.0.0.1 and a free port. */
export interface LoopbackServer {
  url: string;
  /** Stops listening and drops open connections; calls after the first wait for the same stop. */
  close(): Promise<void>;
}

/** Serves `fetch` (a Hono app's, or a wrapper of one) on loopback, as the service's server does. */
export async function serveOnLoopback(
  fetch: (request: Request) => Response | Promise<Response>,
): Promise<LoopbackServer> {
  const server = createAdaptorServer({ fetch }) as Server;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  let closed: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      (closed ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      })),
  };
}
