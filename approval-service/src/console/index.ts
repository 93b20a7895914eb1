import { Hono } from 'hono';
import { FailureLimiter } from '../auth/failure-limiter.js';
import type { OidcSignIn } from '../auth/oidc-login.js';
import { systemClock, type Clock } from '@clearance/client';
import type { AuditAccess } from '../service/audit-access.js';
import type { Authentication } from '../service/authentication.js';
import type { BreakGlass } from '../service/break-glass.js';
import type { RequestLifecycle } from '../service/request-lifecycle.js';
import type { ConsoleDeps, ConsoleEnv } from './console-deps.js';
import { defaultConsoleOptions, type ConsoleOptions } from './console-options.js';
import { LoginTokens } from './form-token.js';
import { consoleErrorPage, consoleHeaders, detectTls } from './guards.js';
import { auditRoutes } from './routes/audit-routes.js';
import { breakGlassRoutes } from './routes/break-glass-routes.js';
import { historyRoutes } from './routes/history-routes.js';
import { listRoutes } from './routes/list-routes.js';
import { loginRoutes } from './routes/login-routes.js';
import { oidcRoutes } from './routes/oidc-routes.js';
import { requestRoutes } from './routes/request-routes.js';
import { settingsRoutes } from './routes/settings-routes.js';
import { SessionStore } from './session-store.js';
import type { SessionRecords } from '../store/store.js';
import { stylesheet } from './stylesheet.js';

export type { ConsoleOptions } from './console-options.js';

/** The parts of the service the console works on. */
export interface ConsoleInit {
  requests: RequestLifecycle;
  auth: Authentication;
  audit: AuditAccess;
  /** Break-glass approvals and their review; the console offers none without it. */
  breakGlass?: BreakGlass | undefined;
  clock?: Clock | undefined;
  options?: Partial<ConsoleOptions>;
  /** Where unexpected errors are reported (their message only); defaults to stderr. */
  log?: (line: string) => void;
  /** Single sign-on through an OpenID provider (`oidc` in the service config). */
  oidc?: OidcSignIn | undefined;
  /** Where sessions are kept besides memory, so replicas and restarts share them (PostgreSQL). */
  sessionRecords?: SessionRecords | undefined;
  /** The login form's HMAC key when replicas share one (PostgreSQL); else one of this process. */
  loginFormKey?: Buffer | undefined;
}

/** Every path the console answers; its middleware is bound to these only, not to the API. */
const consolePaths = [
  '/',
  '/login',
  '/login/*',
  '/logout',
  '/requests/*',
  '/approvals',
  '/needs-review',
  '/history',
  '/audit',
  '/settings',
  '/console.css',
];

/**
 * The approver console: server-rendered pages over the approval service, to mount at the
 * root of the service's app (`app.route('/', createConsole({requests, auth, audit, clock}))`).
 */
export function createConsole(init: ConsoleInit): Hono<ConsoleEnv> {
  const clock = init.clock ?? systemClock;
  const options: ConsoleOptions = { ...defaultConsoleOptions, ...init.options };
  const deps: ConsoleDeps = {
    requests: init.requests,
    auth: init.auth,
    audit: init.audit,
    breakGlass: init.breakGlass,
    clock,
    options,
    sessions: new SessionStore(clock, options, init.sessionRecords),
    loginTokens: new LoginTokens(init.loginFormKey),
    accountLimiter: new FailureLimiter(clock, {
      failures: options.loginLimitPerAccount,
      windowSeconds: options.loginWindowSeconds,
    }),
    addressLimiter: new FailureLimiter(clock, {
      failures: options.loginLimitPerAddress,
      windowSeconds: options.loginWindowSeconds,
    }),
    oidc: init.oidc,
  };

  const app = new Hono<ConsoleEnv>();
  for (const path of consolePaths) app.use(path, consoleHeaders, detectTls(options.trustProxy));
  // Logins and logouts reach the session store (PostgreSQL) before the answer does.
  for (const path of consolePaths)
    app.use(path, async (_c, next) => {
      await next();
      await deps.sessions.flush();
    });

  app.get('/console.css', (c) => {
    c.header('Content-Type', 'text/css; charset=utf-8');
    c.header('Cache-Control', 'public, max-age=86400');
    return c.body(stylesheet);
  });
  app.onError(consoleErrorPage(init.log ?? ((line) => console.error(line))));
  loginRoutes(app, deps);
  oidcRoutes(app, deps);
  listRoutes(app, deps);
  historyRoutes(app, deps);
  requestRoutes(app, deps);
  if (init.breakGlass) breakGlassRoutes(app, deps, init.breakGlass);
  auditRoutes(app, deps);
  settingsRoutes(app, deps);
  return app;
}
