import type { AddressInfo } from 'node:net';
import { createAdaptorServer } from '@hono/node-server';
import type { Hono } from 'hono';
import { createApp } from './app.js';
import type { SignedCheckpoint } from './audit/checkpoint.js';
import { AuditCheckpointer } from './audit/checkpointer.js';
import { sharedCheckpoints } from './audit/checkpoint-storage.js';
import { lastSignedCheckpoint } from './audit/trusted-checkpoint.js';
import { withCheckpoints } from './audit/checkpointing-store.js';
import { ClearanceError, isClearanceError, systemClock, type Clock } from '@clearance/client';
import { loadConfig } from './config/load-config.js';
import { longestDurationSeconds } from './domain/rules.js';
import {
  createWebhookFailureAudit,
  createNotifier,
  drainDeliveries,
  type WebhookFailure,
  type WebhookNotifier,
} from './notify/index.js';
import type { Notifier } from './service/notifier.js';
import type { Services } from './service/services.js';
import { DEFAULT_LOCK_STALE_MS } from './store/directory-lock.js';
import type { LowdbStoreOptions } from './store/lowdb-store.js';
import { databaseUrlOf, openChosenStore } from './store/open-store.js';
import type { Store } from './store/store.js';
import { openSigner } from './tokens/open-signer.js';

export interface StartServerOptions {
  configPath: string;
  dataDir: string;
  /** 0 picks a free port. */
  port: number;
  /** Interface to listen on (default 127.0.0.1). */
  host?: string | undefined;
  clock?: Clock;
  /** Where start-up lines and unexpected errors go (default stdout/stderr). */
  log?: (line: string) => void;
  /** Replaces the webhooks of the config's `notifications`. */
  notifier?: Notifier;
  /**
   * How often pending requests and approvals past their time are marked expired, and counted
   * failed authentications written to the audit (default 30 s).
   */
  sweepIntervalMs?: number;
  /**
   * How long `close()` waits for webhook deliveries under way (default 5 s); those still
   * running then are abandoned, audited as failed and named in the log.
   */
  shutdownGraceMs?: number;
  /**
   * How long start-up waits while the data directory is locked (default 11 s: long enough for
   * the lock of a process that has just died to go stale); then ERR_STORE_LOCKED.
   */
  lockWaitMs?: number;
  /**
   * A PostgreSQL connection URL to keep the data in, the audit checkpoints too, instead of the
   * data directory (which then holds only the signing keys). Default: \`DATABASE_URL\`, else the
   * config's \`databaseUrl\`; an empty string forces the embedded store.
   */
  databaseUrl?: string | undefined;
  /** How the embedded store compacts its journal (crash tests and benchmarks; defaults suit production). */
  store?: Pick<LowdbStoreOptions, 'compactAfterBytes' | 'onCompaction'>;
}

export interface RunningServer {
  /** Where the API listens, e.g. http://127.0.0.1:8080 */
  url: string;
  /** Base URL of the console as links show it. */
  consoleUrl: string;
  app: Hono;
  services: Services;
  close(): Promise<void>;
}

const demoWarning = [
  '!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!',
  '!! WARNING: running on the DEMO configuration.                      !!',
  '!! Its API tokens and console passwords are public (demo-alice,     !!',
  '!! alice/alice, ...). Never use it for real deployments.            !!',
  '!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!',
];

function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '::') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}

function listen(
  server: ReturnType<typeof createAdaptorServer>,
  port: number,
  host: string,
): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => {
      const why =
        err.code === 'EADDRINUSE' ? `port ${port} on ${host} is already in use` : err.message;
      reject(new ClearanceError('ERR_CONFIG', `cannot listen: ${why}`));
    };
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

const DEFAULT_SHUTDOWN_GRACE_MS = 5_000;

/**
 * The webhooks of the config's `notifications` unless a notifier is given (checked now, so a
 * mistake stops the start); their failed deliveries go to `onFailure`.
 */
function configuredWebhooks(
  options: StartServerOptions,
  notifications: unknown,
  clock: Clock,
  onFailure: (failure: WebhookFailure) => void,
): WebhookNotifier | undefined {
  if (options.notifier || notifications === undefined) return undefined;
  try {
    return createNotifier(notifications, { clock, onFailure });
  } catch (err) {
    if (isClearanceError(err)) {
      throw new ClearanceError(err.code, `${options.configPath}: ${err.message}`);
    }
    throw err;
  }
}

/**
 * Starts the approval service on the embedded store, or on PostgreSQL when a database URL is
 * set (see `databaseUrl`): loads and checks the config, opens the
 * data directory (refusing one another process holds; what it repairs is logged) and the
 * signing keys (refusing a key file others may read), listens, and
 * sweeps expired requests on an interval. `close()` stops all of it, letting webhook deliveries
 * under way finish within `shutdownGraceMs`.
 */
export async function startServer(options: StartServerOptions): Promise<RunningServer> {
  const log = options.log ?? ((line: string) => console.log(line));
  const clock = options.clock ?? systemClock;
  const host = options.host ?? '127.0.0.1';
  const config = loadConfig(options.configPath);
  const ready: { app?: Hono; services?: Services } = {};
  const webhookFailures = createWebhookFailureAudit({
    clock,
    log,
    write: async (events) => {
      if (!ready.services) throw new Error('the service is not running');
      await ready.services.audit.recordEvents(events);
    },
  });
  const webhooks = configuredWebhooks(options, config.notifications, clock, (failure) =>
    webhookFailures.report(failure),
  );
  const notifier: Notifier | undefined = options.notifier ?? webhooks;
  const databaseUrl = options.databaseUrl ?? databaseUrlOf(config);
  const opened: Store = await openChosenStore(
    { dataDir: options.dataDir, databaseUrl: databaseUrl || undefined },
    {
      // The embedded store verifies the trail from its last signed checkpoint on.
      trustedAudit: databaseUrl ? undefined : await lastSignedCheckpoint(options.dataDir),
      ...options.store,
      log,
      lock: { waitMs: options.lockWaitMs ?? DEFAULT_LOCK_STALE_MS + 1000 },
    },
  );
  // On PostgreSQL, webhook deliveries wait in the database, for whichever replica claims them.
  if (webhooks && opened.deliveries) webhooks.useQueue(opened.deliveries);
  let store = opened;
  let server: ReturnType<typeof createAdaptorServer> | undefined;
  try {
    const maxTokenLifetimeSeconds = longestDurationSeconds(config);
    const { signer, createdKid } = await openSigner({
      dataDir: options.dataDir,
      clock,
      maxTokenLifetimeSeconds,
      signingKeyFile: config.signingKeyFile,
    });
    if (createdKid) {
      await store.appendAudit([
        {
          time: clock.now().toISOString(),
          actor: 'system',
          action: 'key.created',
          subject: createdKid,
        },
      ]);
    }
    const checkpoints = await AuditCheckpointer.open(
      {
        dataDir: options.dataDir,
        // On PostgreSQL, one chain of checkpoints in the database for every replica.
        storage: opened.checkpoints && sharedCheckpoints(opened.checkpoints),
        signer,
        clock,
        every: config.audit.checkpointEvery,
        log,
        onCheckpoint: webhooks && ((c: SignedCheckpoint) => webhooks.anchor(c)),
      },
      await opened.auditHead(),
    );
    store = withCheckpoints(opened, checkpoints, log);
    // The console URL defaults to the port actually bound, so the app is built once listening.
    server = createAdaptorServer({
      fetch: (req: Request, env: unknown) =>
        ready.app ? ready.app.fetch(req, env) : new Response('starting', { status: 503 }),
    });
    const port = await listen(server, options.port, host);
    const consoleUrl = (config.publicUrl ?? `http://localhost:${port}`).replace(/\/+$/, '');
    const built = createApp({
      store,
      signer,
      clock,
      config: { ...config, publicUrl: consoleUrl },
      log,
      notifier,
      checkpoints,
    });
    ready.app = built.app;
    ready.services = built.services;
    const { app, services } = built;
    const flushFailures = (all: boolean) =>
      services.auth
        .flushAuthFailures({ all })
        .catch((err: unknown) => log(`auth failure audit failed: ${String(err)}`));
    const sweep = () =>
      Promise.all([
        services.requests
          .expireDue()
          .catch((err: unknown) => log(`expiry sweep failed: ${String(err)}`)),
        flushFailures(false),
      ]);
    await sweep();
    const timer = setInterval(sweep, options.sweepIntervalMs ?? 30_000);
    timer.unref();
    if (config.demo) demoWarning.forEach((line) => log(line));
    const url = `http://${urlHost(host)}:${port}`;
    log(`Clearance approval service listening on ${url}`);
    log(`Console: ${consoleUrl}/`);
    const running = server;
    const graceMs = options.shutdownGraceMs ?? DEFAULT_SHUTDOWN_GRACE_MS;
    let closing: Promise<void> | undefined;
    const close = () => {
      closing ??= (async () => {
        clearInterval(timer);
        await new Promise<void>((resolve) => running.close(() => resolve()));
        const stop = webhooks ? () => webhooks.stop() : undefined;
        if (notifier) await drainDeliveries(notifier, graceMs, log, stop);
        await webhookFailures.close();
        await flushFailures(true);
        // The last checkpoint, then its delivery to the anchor webhooks (failures only logged now).
        await checkpoints
          .close()
          .catch((err: unknown) => log(`audit checkpoint failed: ${String(err)}`));
        if (webhooks) await drainDeliveries(webhooks, graceMs, log, () => webhooks.stop());
        await store.close();
      })();
      return closing;
    };
    return { url, consoleUrl, app, services, close };
  } catch (err) {
    server?.close();
    await store.close();
    throw err;
  }
}
