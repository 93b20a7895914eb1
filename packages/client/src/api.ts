import { z } from 'zod';
import { endpointLimits } from './api-limits.js';
import { previewStatesSchema, propertyNamesSchema } from './request-display.js';

/** Request bodies of the HTTP API, validated strictly (unknown fields are refused). */

/** What a stack, a URN, a policy name and a fingerprint must be, in every body that names a state. */
export const stateNameRules = {
  maxStackLength: 400,
  stackPattern: /^[^/\s]+\/[^/\s]+\/[^/\s]+$/,
  urnPrefix: 'urn:pulumi:',
  maxUrnLength: 2000,
  maxPolicyLength: 200,
  policyPattern: /^[a-z0-9][a-z0-9-]*$/,
  fingerprintPattern: /^[0-9a-f]{64}$/,
} as const;

const stackName = z
  .string()
  .max(stateNameRules.maxStackLength)
  .regex(stateNameRules.stackPattern, 'expected org/project/stack');
const urn = z
  .string()
  .min(1)
  .max(stateNameRules.maxUrnLength)
  .startsWith(stateNameRules.urnPrefix, 'expected a Pulumi URN');
const policyName = z
  .string()
  .min(1)
  .max(stateNameRules.maxPolicyLength)
  .regex(stateNameRules.policyPattern, 'expected a kebab-case policy name');
const fingerprintHex = z
  .string()
  .regex(stateNameRules.fingerprintPattern, 'expected a SHA-256 hex digest');
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
    /** A link to why: the pull request, the ticket (`CLEARANCE_CONTEXT_URL` in CI). */
    contextUrl: z
      .url({ protocol: /^https?$/ })
      .max(2000)
      .optional(),
    durationSeconds: durationSeconds.optional(),
    /**
     * The sensitive properties, secrets already replaced by their hash (`redactMaterial`). The
     * service recomputes the fingerprint from them and refuses a mismatch.
     */
    material: z.record(z.string(), z.unknown()),
    run: runContextSchema.optional(),
    /** For people, not fingerprinted: the program's name of each material row. */
    propertyNames: propertyNamesSchema.optional(),
    /** For people, not fingerprinted: the states before and after a delete or replacement. */
    previewStates: previewStatesSchema.optional(),
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
