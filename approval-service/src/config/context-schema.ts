import { z } from 'zod';
import { timeZoneSchema } from '@clearance/client';

/**
 * The context checks of the service config: change freezes, status conditions,
 * and what a rule demands of them.
 */

const name = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'expected letters, digits, ".", "_" or "-"');

const envName = z
  .string()
  .regex(/^[A-Z_][A-Z0-9_]*$/, 'expected an environment variable name such as STATUS_TOKEN');

/** How `start` and `end` of a freeze are written, by its recurrence. */
export const freezeTimeFormats = {
  /** One period: `2026-12-20T18:00` */
  none: /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/,
  /** Every year: `12-20T18:00` */
  yearly: /^(\d{2})-(\d{2})T(\d{2}):(\d{2})$/,
  /** Every week: `fri 18:00` */
  weekly: /^(mon|tue|wed|thu|fri|sat|sun) (\d{2}):(\d{2})$/,
} as const;

const formatHint = {
  none: 'YYYY-MM-DDTHH:MM, e.g. 2026-12-20T18:00',
  yearly: 'MM-DDTHH:MM, e.g. 12-20T18:00',
  weekly: 'a weekday and HH:MM, e.g. fri 18:00',
} as const;

/**
 * A change freeze: a named period of wall-clock time in an IANA zone, once, every week or
 * every year. During it no approval is issued and no token is valid for deploying, unless the
 * rule allows break-glass during freezes.
 */
export const freezeSchema = z
  .object({
    name,
    timeZone: timeZoneSchema,
    repeat: z.enum(['none', 'weekly', 'yearly']).default('none'),
    start: z.string(),
    end: z.string(),
    /** Globs on org/project/stack that the freeze covers; every stack when left out. */
    stacks: z.array(z.string().min(1).max(400)).min(1).default(['**']),
    reason: z.string().max(400).optional(),
  })
  .strict()
  .superRefine((freeze, ctx) => {
    for (const key of ['start', 'end'] as const) {
      if (!freezeTimeFormats[freeze.repeat].test(freeze[key])) {
        ctx.addIssue({
          code: 'custom',
          path: [key],
          message: `expected ${formatHint[freeze.repeat]} (repeat: ${freeze.repeat})`,
        });
      }
    }
    if (freeze.repeat === 'none' && freeze.start >= freeze.end) {
      ctx.addIssue({ code: 'custom', path: ['end'], message: 'expected an end after the start' });
    }
  });

const jsonScalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);

/**
 * An HTTP status check: GET `url` (`{requester}` in it becomes the requester's id), read the
 * JSON value at `path`, and compare it. The header's value is read from the named environment
 * variable when the check runs, and is never logged nor shown.
 */
export const statusConditionSchema = z
  .object({
    name,
    description: z.string().max(400).optional(),
    url: z.url({ protocol: /^https?$/ }),
    header: z
      .object({ name: z.string().min(1).max(100), valueFromEnv: envName })
      .strict()
      .optional(),
    /** A dotted path into the JSON answer, `$` for all of it: `$.incident.open`, `$.items.0.state`. */
    path: z.string().regex(/^\$(\.[^.]+)*$/, 'expected $ or $.a.b (dotted, indexes as .0)'),
    equals: jsonScalar.optional(),
    lessThan: z.number().optional(),
    greaterThan: z.number().optional(),
    timeoutMs: z.number().int().min(1).max(30_000).default(2_000),
    /** How long a verdict is reused before the endpoint is asked again; 0 asks every time. */
    cacheSeconds: z.number().int().min(0).max(3_600).default(30),
  })
  .strict()
  .refine(
    (c) => [c.equals, c.lessThan, c.greaterThan].filter((v) => v !== undefined).length === 1,
    { message: 'expected exactly one of equals, lessThan or greaterThan', path: ['equals'] },
  );

/** What a rule demands of the world besides its approvers. */
export const ruleContextFields = {
  /** Conditions that must hold when an approver decides, when the pack deploys, or both. */
  conditions: z
    .array(
      z
        .object({
          condition: name,
          at: z.enum(['decision', 'deploy', 'both']).default('both'),
          /** An unanswered check (timeout, unreachable, malformed) passes, and the audit says so. */
          failOpen: z.boolean().default(false),
        })
        .strict(),
    )
    .optional(),
  /** The rule applies only while this condition holds (checked when a request opens). */
  onlyWhen: name.optional(),
  /** Approvals under this rule may be given and used during a change freeze. */
  breakGlassDuringFreezes: z.boolean().optional(),
  /** A condition, about the requester, that counts as `approvals` of the quorum (or `all`). */
  autoApprove: z
    .object({
      condition: name,
      approvals: z.union([z.number().int().min(1).max(50), z.literal('all')]).default(1),
    })
    .strict()
    .optional(),
};

export type FreezeConfig = z.infer<typeof freezeSchema>;
export type StatusConditionConfig = z.infer<typeof statusConditionSchema>;
