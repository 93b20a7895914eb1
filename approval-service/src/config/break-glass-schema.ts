import { z } from 'zod';

const group = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._@-]*$/, 'expected letters, digits, ".", "_", "@" or "-"');
const seconds = z
  .number()
  .int()
  .positive()
  .max(366 * 24 * 3600);

/**
 * A rule's break-glass: members of `groups` may approve their own request at once,
 * for at most `maxDurationSeconds`, giving a reason unless `reasonRequired` is false. Members of
 * `reviewerGroups` must then acknowledge or flag it within `reviewWithinSeconds`.
 */
export const breakGlassSchema = z
  .object({
    groups: z.array(group).min(1, 'expected at least one group that may break the glass'),
    maxDurationSeconds: seconds.default(3600),
    reasonRequired: z.boolean().default(true),
    reviewerGroups: z.array(group).min(1, 'expected at least one group that reviews afterwards'),
    reviewWithinSeconds: seconds.default(86_400),
  })
  .strict();

export type BreakGlassConfig = z.infer<typeof breakGlassSchema>;
