import type {
  ApprovalsResponse,
  CheckResult,
  ChecksBody,
  CreateRequestBody,
  RequestView,
  ReopenBody,
  ReviewBody,
  RevokeBody,
  RunContext,
  RunReportBody,
} from '@clearance/client';
import type { AuditEntry, AuditFilter, StoredRequest } from '../domain/model.js';
import type { RequestFilter } from '../store/store.js';

/** Someone acting on the service: a person or CI, authenticated by API token or console login. */
export interface Actor {
  id: string;
  displayName: string;
  groups: string[];
}

/** Whether an actor may decide a request, and if not, why not (shown in the console). */
export type Eligibility = { canDecide: true } | { canDecide: false; why: string };

/**
 * The operations of the approval service. The HTTP API and the console are thin layers over
 * it; both get it from `createApp(deps)`. All rules come from the service config, never from
 * the caller. Methods throw ClearanceError with stable codes.
 */
export interface ApprovalServiceApi {
  /**
   * Idempotent: the same (stack, urn, policy, fingerprint) while pending or approved returns it
   * with created=false. Refuses a fingerprint that is not the one of the request's own stack,
   * URN, type, policy and material (ERR_FINGERPRINT_MISMATCH), and a change whose denial
   * stands (ERR_DENIED).
   */
  createRequest(
    actor: Actor,
    body: CreateRequestBody,
  ): Promise<{ request: RequestView; created: boolean }>;
  getRequest(id: string): Promise<RequestView>;
  listRequests(filter?: RequestFilter): Promise<RequestView[]>;
  review(actor: Actor, id: string, body: ReviewBody): Promise<RequestView>;
  revoke(actor: Actor, id: string, body?: RevokeBody): Promise<RequestView>;
  /** Lifts the denial of a denied request; approvers of its rule only, never its requester. */
  reopen(actor: Actor, id: string, body?: ReopenBody): Promise<RequestView>;
  checks(actor: Actor, body: ChecksBody): Promise<CheckResult[]>;
  /** A read: `run` (the run asking, checked) is recorded nowhere, so a run still writes once. */
  approvals(actor: Actor, stack: string, run?: RunContext): Promise<ApprovalsResponse>;
  reportRun(actor: Actor, body: RunReportBody): Promise<void>;
  eligibility(actor: Actor, request: RequestView | StoredRequest): Eligibility;
  /** The whole trail, unchecked: layers that serve a person check `mayReadAudit` first. */
  readAudit(filter?: AuditFilter): Promise<AuditEntry[]>;
  /** Whether the actor may read the audit trail: the config's `auditorGroups` and every rule's approvers. */
  mayReadAudit(actor: Actor): boolean;
  /** Users from the config, for authentication by the HTTP layer and the console. */
  authenticateToken(token: string): Actor | undefined;
  /** Checks a console password (scrypt, constant time); undefined for an unknown user or a wrong password. */
  verifyPassword(userId: string, password: string): Promise<Actor | undefined>;
  /** Records a failed authentication in the audit trail (no secret in it). */
  recordAuthFailure(subject: string, data: Record<string, unknown>): Promise<void>;
}
