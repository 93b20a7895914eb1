import type {
  ApprovalBinding,
  BreakGlassView,
  PipelineIdentity,
  RequestStatus,
  RequestSubject,
  Requirements,
  ReviewView,
  RunUseView,
} from '@clearance/client';

/** Someone acting on the service: a person or CI, authenticated by API token or console login. */
export interface Actor {
  id: string;
  displayName: string;
  groups: string[];
  /** The IANA time zone the console shows times in beside UTC (a user setting). */
  timeZone?: string;
  /** A CI pipeline authenticated by its OIDC ID token: which one, and who triggered it. */
  pipeline?: PipelineIdentity;
}

/** An approval request as the store keeps it. Times are ISO-8601 strings (UTC). */
export interface StoredRequest extends RequestSubject {
  /** As last saved; an approved or pending request past its expiry is expired (see effectiveStatus). */
  status: RequestStatus;
  requirements: Requirements;
  reviews: ReviewView[];
  /** When a pending request lapses undecided. */
  pendingExpiresAt: string;
  decidedAt?: string;
  /** When an approval ends. */
  expiresAt?: string;
  token?: string;
  tokenId?: string;
  revokedAt?: string;
  revokedBy?: string;
  revokeReason?: string;
  /** A denial an approver lifted (see `applyReopen`); the request stays denied. */
  reopenedAt?: string;
  reopenedBy?: string;
  reopenReason?: string;
  runs: RunUseView[];
  /**
   * Ids of the runs (CI runs, pack processes, `gate-preview` calls) that asked for this request
   * and were blocked by it, oldest first, the newest `maxBlockedRuns` kept: what
   * `clearance wait --run` finds a run's requests by.
   */
  blockedRuns?: string[];
  /** Approved at once by break-glass (see `domain/break-glass.ts`), and its review afterwards. */
  breakGlass?: BreakGlassView;
}

export type RequestKey = ApprovalBinding;

export const auditActions = [
  'request.created',
  'review.approve',
  'review.deny',
  'request.approved',
  'request.denied',
  'request.expired',
  'request.revoked',
  'request.reopened',
  'request.denial-lapsed',
  'token.issued',
  'auth.failed',
  'run.used',
  'run.blocked',
  'key.created',
  'key.rotated',
  'webhook.failed',
  'condition.evaluated',
  'request.break-glass',
  'break-glass.acknowledged',
  'break-glass.flagged',
] as const;
export type AuditAction = (typeof auditActions)[number];

/** One thing that happened, before it is chained. Never holds a token or a secret in clear. */
export interface AuditEvent {
  time: string;
  actor: string;
  action: AuditAction;
  /** What it happened to: a request id, a user id, a key id... */
  subject: string;
  data?: Record<string, unknown>;
}

/** An audit line as written: the event, its position and the hash chain. */
export interface AuditEntry extends AuditEvent {
  seq: number;
  prevHash: string;
  hash: string;
}

export interface AuditFilter {
  since?: string;
  until?: string;
  actor?: string;
  action?: AuditAction;
  subject?: string;
  /** Keeps the oldest this many matches. */
  limit?: number;
  /** Keeps the newest this many matches instead (still answered oldest first): a page of the latest. */
  newest?: number;
}
