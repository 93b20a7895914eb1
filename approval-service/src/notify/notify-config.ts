import { z } from 'zod';
import { ClearanceError } from '@clearance/client';
import { describeIssues } from '../config/zod-issues.js';
import type { NotificationType } from '../service/notifier.js';
import { refineUniqueNames } from '../config/unique-names.js';

export const notificationTypes: readonly NotificationType[] = [
  'request.created',
  'request.approved',
  'request.denied',
  'request.expired',
  'request.revoked',
  'request.break-glass',
  'break-glass.flagged',
];

/**
 * The event of each signed audit checkpoint: an external anchor of the trail's head. Sent only
 * to webhooks whose `events` list it.
 */
export const CHECKPOINT_EVENT = 'audit.checkpoint';
export type WebhookEventType = NotificationType | typeof CHECKPOINT_EVENT;
const webhookEventTypes: readonly WebhookEventType[] = [...notificationTypes, CHECKPOINT_EVENT];

const envName = z
  .string()
  .regex(/^[A-Z_][A-Z0-9_]*$/, 'expected an environment variable name such as HOOK_SECRET');

const webhookSchema = z
  .object({
    name: z
      .string()
      .min(1)
      .max(100)
      .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'expected letters, digits, ".", "_" or "-"'),
    /** `slack`: Slack's incoming-webhook body; `json`: the request as JSON, signed with HMAC-SHA256. */
    format: z.enum(['slack', 'json']),
    /** The endpoint; or `urlEnv`, the variable that holds it (a Slack webhook URL is a secret). */
    url: z.url({ protocol: /^https?$/ }).optional(),
    urlEnv: envName.optional(),
    /** Variable holding the HMAC key of the `json` format (at least 32 characters). */
    secretEnv: envName.optional(),
    /** Default: every request event (not `audit.checkpoint`). */
    events: z
      .array(z.enum(webhookEventTypes as [WebhookEventType, ...WebhookEventType[]]))
      .min(1)
      .optional(),
  })
  .strict()
  .superRefine((hook, ctx) => {
    if ((hook.url === undefined) === (hook.urlEnv === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: ['url'],
        message: 'expected exactly one of url and urlEnv',
      });
    }
    if (hook.format === 'json' && hook.secretEnv === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['secretEnv'],
        message: 'the json format is signed: name the secret with secretEnv',
      });
    }
  });

/** The `notifications` section of the service config. */
export const notificationsSchema = z
  .object({
    webhooks: z.array(webhookSchema).default([]),
    retry: z
      .object({
        /** Attempts per delivery, the first included. */
        attempts: z.number().int().min(1).max(10).default(5),
        initialDelayMs: z.number().int().min(0).max(60_000).default(1_000),
        maxDelayMs: z.number().int().min(0).max(3_600_000).default(60_000),
      })
      .strict()
      .prefault({}),
    /** Bound on each attempt. */
    timeoutMs: z.number().int().positive().max(60_000).default(5_000),
  })
  .strict()
  .superRefine((config, ctx) => refineUniqueNames(config.webhooks, 'webhooks', ctx));

export type NotificationsConfig = z.infer<typeof notificationsSchema>;
export type RetryPolicy = NotificationsConfig['retry'];

/** A webhook ready to call: secrets read from the environment. */
export interface WebhookTarget {
  name: string;
  format: 'slack' | 'json';
  url: string;
  secret?: string | undefined;
  events: ReadonlySet<WebhookEventType>;
}

/** Validates the `notifications` config; errors name the key, never a secret. */
export function parseNotifications(value: unknown): NotificationsConfig {
  const parsed = notificationsSchema.safeParse(value ?? {});
  if (!parsed.success) {
    const lines = describeIssues(parsed.error).map((l) => `  notifications.${l}`);
    throw new ClearanceError(
      'ERR_CONFIG',
      `invalid notifications configuration:\n${lines.join('\n')}`,
    );
  }
  return parsed.data;
}

/** Reads each webhook's URL and secret from the environment; a missing or weak one is a config error. */
export function resolveWebhooks(
  config: NotificationsConfig,
  env: Record<string, string | undefined>,
): WebhookTarget[] {
  return config.webhooks.map((hook) => {
    const where = `notifications webhook "${hook.name}"`;
    const read = (name: string): string => {
      const value = env[name]?.trim();
      if (!value)
        throw new ClearanceError(
          'ERR_CONFIG',
          `${where}: the environment variable ${name} is not set`,
        );
      return value;
    };
    const url = hook.url ?? read(hook.urlEnv as string);
    if (!z.url({ protocol: /^https?$/ }).safeParse(url).success) {
      throw new ClearanceError(
        'ERR_CONFIG',
        `${where}: ${hook.urlEnv ?? 'url'} does not hold an http(s) URL`,
      );
    }
    const secret = hook.secretEnv === undefined ? undefined : read(hook.secretEnv);
    if (secret !== undefined && secret.length < 32) {
      throw new ClearanceError(
        'ERR_CONFIG',
        `${where}: the secret in ${hook.secretEnv} must be at least 32 characters`,
      );
    }
    return {
      name: hook.name,
      format: hook.format,
      url,
      secret,
      events: new Set<WebhookEventType>(hook.events ?? notificationTypes),
    };
  });
}
