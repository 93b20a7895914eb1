import { z } from 'zod';
import type { JSONWebKeySet } from 'jose';
import { endpointLimits } from './api-limits.js';
import type { TimeWindow } from './window.js';

/** Request bodies of the HTTP API, validated strictly (unknown fields are refused). */

const stackName = z
  .string()
  .max(400)
  .regex(/^[^/\s]+\/[^/\s]+\/[^/\s]+$/, 'expected org/project/stack');
const urn = z.string().min(1).max(2000).startsWith('urn:pulumi:', 'expected a Pulumi URN');
const policyName = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[a-z0-9][a-z0-9-]*$/, 'expected a kebab-case policy name');
const fingerprintHex = z.string().regex(/^[0-9a-f]{64}$/, 'expected a SHA-256 hex digest');
const durationSeconds = z
  .number()
  .int()
  .positive()
  .max(366 * 24 * 3600);

export const runContextSchema = z
  .object({
    /** Unique per `pulumi preview` / `pulumi up` run. */
    id: z.string().min(1).max(200),
    dryRun: z.boolean(),
  })
  .strict();
export type RunContext = z.infer<typeof runContextSchema>;

export const createRequestBodySchema = z
  .object({
    stack: stackName,
    urn,
    type: z.string().min(1).max(400),
    policy: policyName,
    fingerprint: fingerprintHex,
    summary: z.string().min(1).max(4000),
    reason: z.string().max(4000).default(''),
    durationSeconds: durationSeconds.optional(),
    /**
     * The sensitive properties, secrets already replaced by their hash (`redactMaterial`). The
     * service recomputes the fingerprint from them and refuses a mismatch.
     */
    material: z.record(z.string(), z.unknown()),
    run: runContextSchema.optional(),
  })
  .strict();
export type CreateRequestBody = z.input<typeof createRequestBodySchema>;

export const reviewBodySchema = z
  .object({
    decision: z.enum(['approve', 'deny']),
    reason: z.string().max(4000).default(''),
    durationSeconds: durationSeconds.optional(),
  })
  .strict();
export type ReviewBody = z.input<typeof reviewBodySchema>;

export const revokeBodySchema = z.object({ reason: z.string().max(4000).default('') }).strict();
export type RevokeBody = z.input<typeof revokeBodySchema>;

/** Lifts a denial, so that the same change may be asked for again. */
export const reopenBodySchema = z.object({ reason: z.string().max(4000).default('') }).strict();
export type ReopenBody = z.input<typeof reopenBodySchema>;

export const checkItemSchema = z
  .object({ urn, policy: policyName, fingerprint: fingerprintHex })
  .strict();
export type CheckItem = z.infer<typeof checkItemSchema>;

export const checksBodySchema = z
  .object({
    stack: stackName,
    items: z.array(checkItemSchema).max(endpointLimits.checks.maxItems),
    run: runContextSchema.optional(),
  })
  .strict();
export type ChecksBody = z.input<typeof checksBodySchema>;

export const runReportBodySchema = z
  .object({
    stack: stackName,
    run: runContextSchema,
    /** Approvals (request ids) this run relied on. */
    used: z.array(z.string().min(1).max(200)).max(endpointLimits.runs.maxItems),
    /** Resources this run blocked for lack of approval. */
    blocked: z
      .array(checkItemSchema.extend({ requestId: z.string().max(200).optional() }).strict())
      .max(endpointLimits.runs.maxItems),
  })
  .strict();
export type RunReportBody = z.input<typeof runReportBodySchema>;

/** Response shapes. */

export type RequestStatus = 'pending' | 'approved' | 'denied' | 'expired' | 'revoked';

export interface Requirements {
  /** Name of the service rule that set these requirements. */
  rule: string;
  approvals: number;
  approverGroups: string[];
  requesterGroups: string[];
  maxDurationSeconds: number;
  reasonRequired: boolean;
  window?: TimeWindow;
}

export interface ReviewView {
  reviewer: string;
  decision: 'approve' | 'deny';
  reason: string;
  durationSeconds?: number;
  at: string;
}

export interface RunUseView {
  runId: string;
  dryRun: boolean;
  at: string;
}

/** What a request asks for and who asked: the same in the store and in every view. */
export interface RequestSubject {
  id: string;
  stack: string;
  urn: string;
  type: string;
  policy: string;
  fingerprint: string;
  summary: string;
  reason: string;
  material?: Record<string, unknown>;
  requester: string;
  requestedDurationSeconds?: number;
  createdAt: string;
}

export interface RequestView extends RequestSubject {
  status: RequestStatus;
  /** Console link of the request. */
  url: string;
  /** Pending: when the request lapses undecided. Approved: when the approval ends. */
  expiresAt: string;
  decidedAt?: string;
  revokedAt?: string;
  revokedBy?: string;
  /** A denial an approver lifted: the same change may be asked for again. */
  reopenedAt?: string;
  reopenedBy?: string;
  reopenReason?: string;
  /** A denial that stands: when it lapses (the config's `denialCooldownSeconds`); never when absent. */
  denialEndsAt?: string;
  requirements: Requirements;
  /** e.g. {approvals: 1, required: 2, text: "1 of 2 managers"} */
  progress: { approvals: number; required: number; text: string };
  reviews: ReviewView[];
  /** Present once approved (and while not revoked). */
  token?: string;
  runs: RunUseView[];
}

export type CheckResult =
  | {
      urn: string;
      policy: string;
      fingerprint: string;
      status: 'approved';
      id: string;
      token: string;
      expiresAt: string;
    }
  | {
      urn: string;
      policy: string;
      fingerprint: string;
      status: 'pending';
      id: string;
      url: string;
      progress: string;
    }
  | {
      urn: string;
      policy: string;
      fingerprint: string;
      status: 'denied';
      id: string;
      url: string;
      deniedBy: string;
      reason: string;
    }
  | {
      urn: string;
      policy: string;
      fingerprint: string;
      status: 'expired';
      id: string;
      url: string;
      expiredAt: string;
    }
  | {
      urn: string;
      policy: string;
      fingerprint: string;
      status: 'revoked';
      id: string;
      url: string;
      revokedBy: string;
      revokedAt: string;
    }
  | { urn: string; policy: string; fingerprint: string; status: 'none' };

export interface ChecksResponse {
  results: CheckResult[];
}

/** Active approvals of one stack plus the keys to verify them: everything a run needs, in one call. */
export interface ApprovalsResponse {
  approvals: {
    id: string;
    urn: string;
    policy: string;
    fingerprint: string;
    token: string;
    expiresAt: string;
  }[];
  keys: JSONWebKeySet;
  /**
   * The latest request of every other resource state of the stack that has one (pending,
   * denied, expired, revoked), so the pack learns why a state lacks an approval without asking
   * again. Absent from services that predate it.
   */
  requests?: CheckResult[];
}

export interface ErrorBody {
  error: { code: string; message: string };
}
