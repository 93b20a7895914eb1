import { z } from 'zod';
import { timeWindowSchema, timeZoneSchema } from '@clearance/client';
import { breakGlassSchema } from './break-glass-schema.js';
import { ciIdentitySchema } from './ci-identity-schema.js';
import { freezeSchema, ruleContextFields, statusConditionSchema } from './context-schema.js';
import { oidcSchema } from './oidc-schema.js';

const name = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._@-]*$/, 'expected letters, digits, ".", "_", "@" or "-"');
const group = name;
const pattern = z.string().min(1).max(400);
const seconds = z
  .number()
  .int()
  .positive()
  .max(366 * 24 * 3600);

/** Pattern of a stored console password hash: `scrypt$N$r$p$<salt b64url>$<hash b64url>`. */
export const passwordHashPattern =
  /^scrypt\$(\d+)\$(\d+)\$(\d+)\$([A-Za-z0-9_-]{16,})\$([A-Za-z0-9_-]{43})$/;

export const userSchema = z
  .object({
    id: name,
    name: z.string().min(1).max(200),
    groups: z.array(group).default([]),
    apiTokenSha256: z
      .string()
      .regex(/^[0-9a-f]{64}$/, 'expected the SHA-256 of the token as 64 lowercase hex digits')
      .optional(),
    passwordHash: z
      .string()
      .regex(passwordHashPattern, 'expected scrypt$N$r$p$<salt>$<hash> (see clearance hash-token)')
      .optional(),
    /** The console shows times in this IANA zone beside UTC (else in the zone chosen in the browser). */
    timeZone: timeZoneSchema.optional(),
  })
  .strict();

/** What a rule demands of a request it matches. */
const requirementFields = {
  approvals: z.number().int().min(1).max(50),
  approverGroups: z.array(group).min(1, 'expected at least one approver group'),
  requesterGroups: z.array(group).default([]),
  maxDurationSeconds: seconds,
  reasonRequired: z.boolean().default(false),
  window: timeWindowSchema.optional(),
  ...ruleContextFields,
  /** Who may approve their own request at once, and who reviews it afterwards. */
  breakGlass: breakGlassSchema.optional(),
};

export const ruleSchema = z
  .object({
    name,
    /** Policy names or globs; all policies when left out. */
    policies: z.array(pattern).min(1).default(['*']),
    /** Globs on org/project/stack: `*` within a segment, `**` across segments, `?` one character. */
    stacks: z.array(pattern).min(1).default(['**']),
    ...requirementFields,
  })
  .strict();

export const defaultRuleSchema = z
  .object({ name: name.default('default'), ...requirementFields })
  .strict();

/** Throttling of failed API authentications (see `trustProxy` for what an address is). */
export const apiAuthLimitSchema = z
  .object({
    /**
     * Failed authentications a client address may make before its failures wait (1 s, doubling
     * with each further failure); meanwhile they get 429. Valid tokens are never limited.
     */
    failures: z.number().int().min(1).max(10_000).default(10),
    /**
     * The longest wait; failures are forgotten after this long without one; also at most one
     * `auth.failed` line per address and reason per window.
     */
    windowSeconds: z.number().int().min(1).max(86_400).default(300),
  })
  .strict();

/** Unsigned entries that make the service sign a checkpoint, unless the config says otherwise. */
export const DEFAULT_CHECKPOINT_EVERY = 100;

/** Signed checkpoints of the audit trail (see `audit/checkpointer.ts`). */
export const auditSchema = z
  .object({
    /**
     * The head of the trail is signed with the service's key as soon as this many entries are
     * not covered by a checkpoint; also at start (when the trail moved) and at shutdown.
     */
    checkpointEvery: z.number().int().min(1).max(100_000).default(DEFAULT_CHECKPOINT_EVERY),
  })
  .strict();

export const serviceConfigSchema = z
  .object({
    /** Marks the committed demo configuration, whose credentials are public. */
    demo: z.boolean().default(false),
    /** Base URL of the console, used in request links. */
    publicUrl: z.url({ protocol: /^https?$/ }).optional(),
    pendingTtlSeconds: seconds.default(86_400),
    /**
     * A denied change (same stack, URN, policy and fingerprint) cannot be asked for again until
     * an approver reopens the denied request, or until this many seconds after the denial.
     * Left out, only reopening lifts a denial.
     */
    denialCooldownSeconds: seconds.optional(),
    users: z.array(userSchema).default([]),
    rules: z.array(ruleSchema).default([]),
    defaultRule: defaultRuleSchema,
    /** Change freezes: no approval is issued or used during them (see `context-schema.ts`). */
    freezes: z.array(freezeSchema).default([]),
    /** Status conditions that rules name (`conditions`, `onlyWhen`, `autoApprove`). */
    conditions: z.array(statusConditionSchema).default([]),
    /**
     * Who may read the audit trail over the API (`GET /v1/audit`, `clearance audit export`):
     * members of these groups and the approvers of any rule (default rule included), since
     * they answer for the decisions it records. Everyone else, such as deployers and CI
     * tokens that only open requests, gets 403 ERR_FORBIDDEN.
     */
    auditorGroups: z.array(group).default(['auditors']),
    signingKeyFile: z.string().min(1).optional(),
    /**
     * A `postgres://` connection URL: keeps requests and the audit trail in PostgreSQL, shared
     * by replicas, instead of the data directory. `DATABASE_URL` in the environment wins.
     */
    databaseUrl: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'expected a postgres:// URL')
      .optional(),
    /**
     * The client address (for limits and the audit) is the connection's peer. Set true only
     * behind a reverse proxy that appends the peer to `X-Forwarded-For`: then the header's
     * last entry counts. Left false, the header is ignored, since any caller can send it.
     */
    trustProxy: z.boolean().default(false),
    apiAuthLimit: apiAuthLimitSchema.prefault({}),
    /** CI pipelines that authenticate with their own OIDC ID token (see `ci-identity-schema.ts`). */
    ciIdentity: ciIdentitySchema.optional(),
    audit: auditSchema.prefault({}),
    notifications: z.unknown().optional(),
    /** Console sign-in through the organisation's OpenID Connect provider (see `oidc-schema.ts`). */
    oidc: oidcSchema.optional(),
  })
  .strict()
  .superRefine((config, ctx) => {
    const seen = new Map<string, number>();
    const tokens = new Map<string, number>();
    config.users.forEach((user, i) => {
      if (seen.has(user.id)) {
        ctx.addIssue({
          code: 'custom',
          path: ['users', i, 'id'],
          message: `expected a unique user id; "${user.id}" is also users[${seen.get(user.id)}]`,
        });
      }
      seen.set(user.id, i);
      if (user.apiTokenSha256 !== undefined) {
        if (tokens.has(user.apiTokenSha256)) {
          ctx.addIssue({
            code: 'custom',
            path: ['users', i, 'apiTokenSha256'],
            message: `expected a unique API token; users[${tokens.get(user.apiTokenSha256)}] has the same`,
          });
        }
        tokens.set(user.apiTokenSha256, i);
      }
    });
    const rules = new Set<string>();
    config.rules.forEach((rule, i) => {
      if (rules.has(rule.name) || rule.name === config.defaultRule.name) {
        ctx.addIssue({
          code: 'custom',
          path: ['rules', i, 'name'],
          message: `expected a unique rule name; "${rule.name}" is used twice`,
        });
      }
      rules.add(rule.name);
    });
    checkContextNames(config, ctx);
  });

type ContextRule = z.infer<typeof defaultRuleSchema> | z.infer<typeof ruleSchema>;

/** Freeze and condition names are unique; a rule names only conditions that exist. */
function checkContextNames(
  config: {
    rules: ContextRule[];
    defaultRule: ContextRule;
    freezes: { name: string }[];
    conditions: { name: string; url: string }[];
  },
  ctx: z.RefinementCtx,
): void {
  for (const key of ['freezes', 'conditions'] as const) {
    const names = new Set<string>();
    config[key].forEach((item, i) => {
      if (names.has(item.name)) {
        ctx.addIssue({
          code: 'custom',
          path: [key, i, 'name'],
          message: `expected a unique name; "${item.name}" is used twice`,
        });
      }
      names.add(item.name);
    });
  }
  const byName = new Map(config.conditions.map((c) => [c.name, c]));
  const check = (rule: ContextRule, path: (string | number)[]): void => {
    const named: { condition: string; path: (string | number)[]; about: 'world' | 'requester' }[] =
      [
        ...(rule.conditions ?? []).map((c, i) => ({
          condition: c.condition,
          path: [...path, 'conditions', i, 'condition'],
          about: 'world' as const,
        })),
        ...(rule.onlyWhen === undefined
          ? []
          : [{ condition: rule.onlyWhen, path: [...path, 'onlyWhen'], about: 'world' as const }]),
        ...(rule.autoApprove === undefined
          ? []
          : [
              {
                condition: rule.autoApprove.condition,
                path: [...path, 'autoApprove', 'condition'],
                about: 'requester' as const,
              },
            ]),
      ];
    for (const n of named) {
      const found = byName.get(n.condition);
      if (!found) {
        ctx.addIssue({
          code: 'custom',
          path: n.path,
          message: `expected the name of a configured condition; there is no "${n.condition}"`,
        });
      } else if (n.about === 'world' && found.url.includes('{requester}')) {
        ctx.addIssue({
          code: 'custom',
          path: n.path,
          message: `"${n.condition}" is about the requester ({requester} in its url): only autoApprove may name it`,
        });
      }
    }
  };
  config.rules.forEach((rule, i) => check(rule, ['rules', i]));
  check(config.defaultRule, ['defaultRule']);
  if (config.defaultRule.onlyWhen !== undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['defaultRule', 'onlyWhen'],
      message: 'the default rule applies when no other does: it takes no onlyWhen',
    });
  }
}

export type UserConfig = z.infer<typeof userSchema>;
export type RuleConfig = z.infer<typeof ruleSchema>;
export type DefaultRuleConfig = z.infer<typeof defaultRuleSchema>;
/** The validated service configuration. */
export type ServiceConfig = z.infer<typeof serviceConfigSchema>;
/** What a caller may hand to createApp: defaults may be left out. */
export type ServiceConfigInput = z.input<typeof serviceConfigSchema>;
