import { Hono } from 'hono';
import { systemClock, type Clock } from '@clearance/client';
import type { ServiceConfig, ServiceConfigInput } from './config/config-schema.js';
import { oidcSignInFromConfig } from './auth/oidc-login.js';
import { validateConfig } from './config/load-config.js';
import { createConsole } from './console/index.js';
import { apiRoutes } from './http/api.js';
import { errorResponse, handleError } from './http/error-response.js';
import { AuditAccess, type CheckpointSource } from './service/audit-access.js';
import { ContextChecks } from './service/context-checks.js';
import { Authentication } from './service/authentication.js';
import { BreakGlass } from './service/break-glass.js';
import { Mutex } from './service/mutex.js';
import type { Notifier } from './service/notifier.js';
import { RequestLifecycle } from './service/request-lifecycle.js';
import { RunChecks } from './service/run-checks.js';
import type { ServiceContext } from './service/service-context.js';
import { httpStatusProbe, type StatusProbe } from './service/status-probe.js';
import type { Services } from './service/services.js';
import type { Store } from './store/store.js';
import type { ApprovalSigner } from './tokens/approval-signer.js';

/** What the service is built from; everything with side effects is injected. */
export interface ServiceDeps {
  store: Store;
  signer: ApprovalSigner;
  config: ServiceConfig;
  clock?: Clock | undefined;
  notifier?: Notifier | undefined;
  /** Asks the status endpoints of conditions; defaults to HTTP (tests give a stand-in). */
  statusProbe?: StatusProbe | undefined;
  /** Where condition headers are read from; defaults to the process environment. */
  env?: Readonly<Record<string, string | undefined>> | undefined;
  /** The signed checkpoints an audit export carries (the server's checkpointer); none in memory. */
  checkpoints?: CheckpointSource | undefined;
}

/** Builds the parts of the service over the same store, clock, config and write lock. */
export function createServices(deps: ServiceDeps): Services {
  const clock = deps.clock ?? systemClock;
  const context = new ContextChecks({
    config: deps.config,
    clock,
    probe: deps.statusProbe ?? httpStatusProbe,
    env: deps.env ?? process.env,
  });
  const ctx: ServiceContext = {
    store: deps.store,
    config: deps.config,
    clock,
    writes: new Mutex(deps.store),
    publicUrl: (deps.config.publicUrl ?? 'http://localhost:8080').replace(/\/+$/, ''),
    context,
  };
  const audit = new AuditAccess(ctx, deps.checkpoints);
  return {
    requests: new RequestLifecycle(ctx, deps.signer, deps.notifier),
    runs: new RunChecks(ctx, deps.signer),
    auth: new Authentication(ctx, audit),
    audit,
    breakGlass: new BreakGlass(ctx, deps.signer, deps.notifier),
  };
}

export interface AppDeps {
  store: Store;
  signer: ApprovalSigner;
  /** A validated config, or one to validate now (defaults filled in). */
  config: ServiceConfig | ServiceConfigInput;
  clock?: Clock | undefined;
  notifier?: Notifier | undefined;
  statusProbe?: StatusProbe | undefined;
  env?: Readonly<Record<string, string | undefined>> | undefined;
  checkpoints?: CheckpointSource | undefined;
  /** Where unexpected errors are reported (never with secrets); defaults to stderr. */
  log?: (line: string) => void;
}

/** Builds the service's Hono app from injected store, signer, clock and config. */
export function createApp(deps: AppDeps): { app: Hono; services: Services } {
  const log = deps.log ?? ((line: string) => console.error(line));
  const config = validateConfig(deps.config, 'config');
  const services = createServices({ ...deps, config });
  const oidc = oidcSignInFromConfig(config.oidc, {
    publicUrl: (config.publicUrl ?? 'http://localhost:8080').replace(/\/+$/, ''),
    env: deps.env ?? process.env,
    clock: deps.clock ?? systemClock,
    log,
    records: deps.store.signIns,
  });
  const app = new Hono();
  app.onError(handleError(log));
  // Liveness: the service answers. Trouble it works around (a failing compaction) shows too.
  // A database the store cannot reach (PostgreSQL) makes it 503, so a balancer sends elsewhere.
  app.get('/healthz', (c) => {
    const health = deps.store.health?.() ?? {};
    return health.database
      ? c.json({ ok: false, ...health }, 503)
      : c.json({ ok: true, ...health });
  });
  app.get('/.well-known/jwks.json', (c) => {
    c.header('Cache-Control', 'public, max-age=60');
    return c.json(deps.signer.jwks());
  });
  app.route('/v1', apiRoutes(services, log));
  app.route(
    '/',
    createConsole({
      requests: services.requests,
      auth: services.auth,
      audit: services.audit,
      breakGlass: services.breakGlass,
      clock: deps.clock,
      options: { trustProxy: config.trustProxy },
      log,
      oidc,
      sessionRecords: deps.store.sessions,
      loginFormKey: deps.store.loginFormKey,
    }),
  );
  app.notFound((c) => errorResponse(c, 'ERR_NOT_FOUND', `no route ${c.req.method} ${c.req.path}`));
  return { app, services };
}
