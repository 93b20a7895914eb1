import { Hono } from 'hono';
import type { Clock } from '@clearance/client';
import type { ServiceConfig, ServiceConfigInput } from './config/config-schema.js';
import { validateConfig } from './config/load-config.js';
import { createConsole } from './console/index.js';
import { apiRoutes } from './http/api.js';
import { errorResponse, handleError } from './http/error-response.js';
import { ApprovalService } from './service/approval-service.js';
import type { Notifier } from './service/notifier.js';
import type { Store } from './store/store.js';
import type { ApprovalSigner } from './tokens/approval-signer.js';

export interface AppDeps {
  store: Store;
  signer: ApprovalSigner;
  /** A validated config, or one to validate now (defaults filled in). */
  config: ServiceConfig | ServiceConfigInput;
  clock?: Clock;
  notifier?: Notifier;
  /** Where unexpected errors are reported (never with secrets); defaults to stderr. */
  log?: (line: string) => void;
}

/** Builds the service's Hono app from injected store, signer, clock and config. */
export function createApp(deps: AppDeps): { app: Hono; service: ApprovalService } {
  const log = deps.log ?? ((line: string) => console.error(line));
  const config = validateConfig(deps.config, 'config');
  const service = new ApprovalService({ ...deps, config });
  const app = new Hono();
  app.onError(handleError(log));
  // Liveness: the service answers. Trouble it works around (a failing compaction) shows too.
  app.get('/healthz', (c) => c.json({ ok: true, ...deps.store.health?.() }));
  app.get('/.well-known/jwks.json', (c) => {
    c.header('Cache-Control', 'public, max-age=60');
    return c.json(deps.signer.jwks());
  });
  app.route('/v1', apiRoutes(service, log));
  app.route(
    '/',
    createConsole({
      service,
      ...(deps.clock ? { clock: deps.clock } : {}),
      options: { trustProxy: config.trustProxy },
      log,
    }),
  );
  app.notFound((c) => errorResponse(c, 'ERR_NOT_FOUND', `no route ${c.req.method} ${c.req.path}`));
  return { app, service };
}
