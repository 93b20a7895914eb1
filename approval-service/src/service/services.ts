import type { AuditAccess } from './audit-access.js';
import type { Authentication } from './authentication.js';
import type { BreakGlass } from './break-glass.js';
import type { RequestLifecycle } from './request-lifecycle.js';
import type { RunChecks } from './run-checks.js';

/**
 * The parts of the approval service, over one store, clock and config, whose writes run in
 * turn (built by `createServices`). The HTTP API and the console are thin layers over them;
 * each route takes the part it needs.
 */
export interface Services {
  /** Approval requests: open, read, list, review, revoke, reopen, expire. */
  requests: RequestLifecycle;
  /** What a deployment run asks: checks, the approvals of a stack, its report. */
  runs: RunChecks;
  /** API tokens, console passwords and failed authentications. */
  auth: Authentication;
  /** The audit trail: who may read it, reading it, events that change no request. */
  audit: AuditAccess;
  /** Break-glass approvals and their review afterwards. */
  breakGlass: BreakGlass;
}
