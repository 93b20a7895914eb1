import type { FailureLimiter } from '../auth/failure-limiter.js';
import type { OidcSignIn } from '../auth/oidc-login.js';
import type { Clock } from '@clearance/client';
import type { AuditAccess } from '../service/audit-access.js';
import type { Authentication } from '../service/authentication.js';
import type { BreakGlass } from '../service/break-glass.js';
import type { RequestLifecycle } from '../service/request-lifecycle.js';
import type { ConsoleOptions } from './console-options.js';
import type { LoginTokens } from './form-token.js';
import type { Session, SessionStore } from './session-store.js';

/** What every console route needs, built once by createConsole. */
export interface ConsoleDeps {
  requests: RequestLifecycle;
  auth: Authentication;
  audit: AuditAccess;
  /** Break-glass approvals and their review, when the service offers them. */
  breakGlass: BreakGlass | undefined;
  clock: Clock;
  options: ConsoleOptions;
  sessions: SessionStore;
  loginTokens: LoginTokens;
  /** Failed logins per account and per client address (a right password is never limited). */
  accountLimiter: FailureLimiter;
  addressLimiter: FailureLimiter;
  /** Single sign-on through the organisation's OpenID provider, when configured. */
  oidc: OidcSignIn | undefined;
}

/** Hono environment of the console: the guards set these for the handlers. */
export interface ConsoleEnv {
  Variables: {
    tls: boolean;
    session: Session;
    /** Whether the session's user may read the audit trail (auditors and approvers). */
    mayReadAudit: boolean;
    /** The fields of a POSTed form, already checked for the session's form token. */
    form: Record<string, string>;
  };
}
