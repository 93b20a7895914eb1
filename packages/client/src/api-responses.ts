import type { JSONWebKeySet } from 'jose';
import { z } from 'zod';
import { breakGlassRequirementsSchema, breakGlassViewSchema } from './break-glass.js';
import { conditionVerdictSchema, freezePeriodSchema } from './context-claims.js';
import { pipelineIdentitySchema } from './pipeline-identity.js';
import { requestDisplayViewFields } from './request-display.js';
import { timeWindowSchema } from './window.js';

/**
 * Response bodies of the HTTP API. The client parses every answer with these schemas, so a
 * malformed one fails as ERR_BAD_RESPONSE instead of reaching its callers; the types are
 * inferred from them. Unknown fields are dropped; optional fields are absent, never undefined.
 */

const optionalString = z.string().exactOptional();

export const requestStatusSchema = z.enum(['pending', 'approved', 'denied', 'expired', 'revoked']);
export type RequestStatus = z.infer<typeof requestStatusSchema>;

export const requirementsSchema = z.object({
  /** Name of the service rule that set these requirements. */
  rule: z.string(),
  approvals: z.number(),
  approverGroups: z.array(z.string()),
  requesterGroups: z.array(z.string()),
  maxDurationSeconds: z.number(),
  reasonRequired: z.boolean(),
  window: timeWindowSchema.exactOptional(),
  /** Status conditions the rule requires, and when (see the service config's `conditions`). */
  conditions: z
    .array(
      z.object({
        condition: z.string(),
        at: z.enum(['decision', 'deploy', 'both']),
        failOpen: z.boolean(),
      }),
    )
    .exactOptional(),
  /** The rule's approvals may be given, and used, during a change freeze. */
  breakGlassDuringFreezes: z.boolean().exactOptional(),
  /** A condition (the requester on call...) that counts as some or all of the quorum. */
  autoApprove: z
    .object({ condition: z.string(), approvals: z.union([z.number(), z.literal('all')]) })
    .exactOptional(),
  /** Who may approve their own request at once under this rule, and its review afterwards. */
  breakGlass: breakGlassRequirementsSchema.exactOptional(),
});
export type Requirements = z.infer<typeof requirementsSchema>;

export const reviewViewSchema = z.object({
  reviewer: z.string(),
  decision: z.enum(['approve', 'deny']),
  reason: z.string(),
  durationSeconds: z.number().exactOptional(),
  at: z.string(),
  /** An approval given by this condition, never by a person (`reviewer` names it too). */
  condition: z.string().exactOptional(),
  /** How many approvals of the quorum a condition's approval counts for. */
  approvals: z.number().exactOptional(),
});
export type ReviewView = z.infer<typeof reviewViewSchema>;

export const runUseViewSchema = z.object({
  runId: z.string(),
  dryRun: z.boolean(),
  at: z.string(),
});
export type RunUseView = z.infer<typeof runUseViewSchema>;

/** What a request asks for and who asked: the same in the store and in every view. */
export const requestSubjectSchema = z.object({
  id: z.string(),
  stack: z.string(),
  urn: z.string(),
  type: z.string(),
  policy: z.string(),
  fingerprint: z.string(),
  summary: z.string(),
  reason: z.string(),
  /** A link to why the change is asked for (a pull request, a ticket). */
  contextUrl: optionalString,
  material: z.record(z.string(), z.unknown()).exactOptional(),
  ...requestDisplayViewFields,
  requester: z.string(),
  /** Opened by a CI pipeline with its OIDC ID token: which pipeline, and who triggered it. */
  pipeline: pipelineIdentitySchema.exactOptional(),
  requestedDurationSeconds: z.number().exactOptional(),
  createdAt: z.string(),
});
export type RequestSubject = z.infer<typeof requestSubjectSchema>;

export const requestViewSchema = requestSubjectSchema.extend({
  status: requestStatusSchema,
  /** Console link of the request. */
  url: z.string(),
  /** Pending: when the request lapses undecided. Approved: when the approval ends. */
  expiresAt: z.string(),
  decidedAt: optionalString,
  revokedAt: optionalString,
  revokedBy: optionalString,
  /** A denial an approver lifted: the same change may be asked for again. */
  reopenedAt: optionalString,
  reopenedBy: optionalString,
  reopenReason: optionalString,
  /** A denial that stands: when it lapses (the config's `denialCooldownSeconds`); never when absent. */
  denialEndsAt: optionalString,
  requirements: requirementsSchema,
  /** e.g. {approvals: 1, required: 2, text: "1 of 2 managers"} */
  progress: z.object({ approvals: z.number(), required: z.number(), text: z.string() }),
  reviews: z.array(reviewViewSchema),
  /** Present once approved (and while not revoked). */
  token: optionalString,
  runs: z.array(runUseViewSchema),
  /** Approved by break-glass: who, why, and the review afterwards. */
  breakGlass: breakGlassViewSchema.exactOptional(),
});
export type RequestView = z.infer<typeof requestViewSchema>;

export const requestListSchema = z.object({ requests: z.array(requestViewSchema) });

const checked = { urn: z.string(), policy: z.string(), fingerprint: z.string() };

export const checkResultSchema = z.discriminatedUnion('status', [
  z.object({
    ...checked,
    status: z.literal('approved'),
    id: z.string(),
    token: z.string(),
    expiresAt: z.string(),
  }),
  z.object({
    ...checked,
    status: z.literal('pending'),
    id: z.string(),
    url: z.string(),
    progress: z.string(),
  }),
  z.object({
    ...checked,
    status: z.literal('denied'),
    id: z.string(),
    url: z.string(),
    deniedBy: z.string(),
    reason: z.string(),
  }),
  z.object({
    ...checked,
    status: z.literal('expired'),
    id: z.string(),
    url: z.string(),
    expiredAt: z.string(),
  }),
  z.object({
    ...checked,
    status: z.literal('revoked'),
    id: z.string(),
    url: z.string(),
    revokedBy: z.string(),
    revokedAt: z.string(),
  }),
  z.object({ ...checked, status: z.literal('none') }),
]);
export type CheckResult = z.infer<typeof checkResultSchema>;

export const checksResponseSchema = z.object({ results: z.array(checkResultSchema) });
export type ChecksResponse = z.infer<typeof checksResponseSchema>;

/**
 * A public JSON Web Key as the service serves it. Members other than these (a private part
 * above all) are dropped.
 */
export const publicJwkSchema = z.object({
  kty: z.string(),
  kid: optionalString,
  alg: optionalString,
  use: optionalString,
  key_ops: z.array(z.string()).exactOptional(),
  crv: optionalString,
  x: optionalString,
  y: optionalString,
  n: optionalString,
  e: optionalString,
});

/** A JSON Web Key Set of public keys (`GET /.well-known/jwks.json`), typed as jose takes it. */
export const jwksSchema = z
  .object({ keys: z.array(publicJwkSchema) })
  .transform((set): JSONWebKeySet => set);

/** Active approvals of one stack plus the keys to verify them: everything a run needs, in one call. */
export const approvalsResponseSchema = z.object({
  approvals: z.array(
    z.object({
      id: z.string(),
      urn: z.string(),
      policy: z.string(),
      fingerprint: z.string(),
      token: z.string(),
      expiresAt: z.string(),
    }),
  ),
  keys: jwksSchema,
  /**
   * The latest request of every other resource state of the stack that has one (pending,
   * denied, expired, revoked), so the pack learns why a state lacks an approval without asking
   * again. Absent from services that predate it.
   */
  requests: z.array(checkResultSchema).exactOptional(),
  /**
   * The service's verdict now on each status condition that a listed approval requires at
   * deploy time, so the pack needs no network of its own. Absent when none does.
   */
  conditions: z.array(conditionVerdictSchema).exactOptional(),
  /**
   * The freeze periods on over the stack now: they bind tokens issued before the freeze was
   * configured (a token carries the freezes known when it was signed). Absent when none is on.
   */
  freezes: z.array(freezePeriodSchema).exactOptional(),
});
export type ApprovalsResponse = z.infer<typeof approvalsResponseSchema>;

/**
 * An audit entry as `GET /v1/audit` serves it (the service's domain says which actions there
 * are). Every member is kept, so that an exported entry still verifies against its hash.
 */
export const auditEntryViewSchema = z.looseObject({
  seq: z.number(),
  prevHash: z.string(),
  time: z.string(),
  actor: z.string(),
  action: z.string(),
  subject: z.string(),
  data: z.record(z.string(), z.unknown()).exactOptional(),
  hash: z.string(),
});
export type AuditEntryView = z.infer<typeof auditEntryViewSchema>;

export const auditEntriesSchema = z.object({ entries: z.array(auditEntryViewSchema) });

export const healthSchema = z.object({ ok: z.boolean() });

export const errorBodySchema = z.object({
  error: z.object({ code: z.string(), message: z.string() }),
});
export type ErrorBody = z.infer<typeof errorBodySchema>;
