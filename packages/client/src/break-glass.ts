import { z } from 'zod';

/**
 * Break-glass: a member of a group the rule names approves their own request at
 * once, with a reason and for at most the rule's duration; named reviewers then acknowledge or
 * flag it within the rule's review time.
 */

/** What a rule allows: who may break the glass, for how long, and who reviews it afterwards. */
export const breakGlassRequirementsSchema = z.object({
  groups: z.array(z.string()),
  maxDurationSeconds: z.number(),
  reasonRequired: z.boolean(),
  reviewerGroups: z.array(z.string()),
  reviewWithinSeconds: z.number(),
});
export type BreakGlassRequirements = z.infer<typeof breakGlassRequirementsSchema>;

/** What reviewers made of a break-glass approval. */
export const breakGlassOutcomes = ['acknowledged', 'flagged'] as const;
export type BreakGlassOutcome = (typeof breakGlassOutcomes)[number];

export const breakGlassReviewViewSchema = z.object({
  reviewer: z.string(),
  outcome: z.enum(breakGlassOutcomes),
  reason: z.string(),
  at: z.string(),
});
export type BreakGlassReviewView = z.infer<typeof breakGlassReviewViewSchema>;

/** A break-glass approval on a request: who, why, for how long, and its review afterwards. */
export const breakGlassViewSchema = z.object({
  by: z.string(),
  reason: z.string(),
  at: z.string(),
  grantedSeconds: z.number(),
  /** When reviewers must have acknowledged or flagged it. */
  reviewDueAt: z.string(),
  review: breakGlassReviewViewSchema.exactOptional(),
});
export type BreakGlassView = z.infer<typeof breakGlassViewSchema>;

/** `POST /v1/requests/:id/break-glass` */
export const breakGlassBodySchema = z
  .object({
    reason: z.string().max(4000).default(''),
    durationSeconds: z
      .number()
      .int()
      .positive()
      .max(366 * 24 * 3600)
      .optional(),
  })
  .strict();
export type BreakGlassBody = z.input<typeof breakGlassBodySchema>;

/** `POST /v1/requests/:id/break-glass/review` */
export const breakGlassReviewBodySchema = z
  .object({
    outcome: z.enum(['acknowledge', 'flag']),
    reason: z.string().max(4000).default(''),
  })
  .strict();
export type BreakGlassReviewBody = z.input<typeof breakGlassReviewBodySchema>;
