import { z } from 'zod';
import type { JSONWebKeySet } from 'jose';
import {
  checkServiceUrl,
  defaultServiceUrl,
  envNames,
  isClearanceError,
  isStackPattern,
  keyThumbprintPattern,
} from '@clearance/client';

/** The process environment, or a stand-in in tests. */
export type Env = Readonly<Record<string, string | undefined>>;

const jwksSchema = z.object({
  keys: z.array(z.looseObject({ kty: z.string().min(1) })).min(1, 'needs at least one key'),
});

const settingsSchema = z
  .object({
    serviceUrl: z.url({ protocol: /^https?$/, error: 'expected an http(s) URL' }).optional(),
    tokenEnv: z
      .string()
      .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'expected an environment variable name')
      .default(envNames.token),
    stacks: z
      .array(
        z.string().refine(isStackPattern, 'expected a pattern on org/project/stack, e.g. */*/prod'),
      )
      .min(1, 'needs at least one pattern')
      .default(['**']),
    failMode: z.enum(['closed', 'open']).default('closed'),
    previewMode: z.enum(['mandatory', 'advisory']).default('mandatory'),
    offline: z.boolean().default(false),
    jwks: jwksSchema.optional(),
    keyThumbprints: z
      .array(z.string().regex(keyThumbprintPattern, 'expected RFC 7638 SHA-256 key thumbprints'))
      .min(1, 'needs at least one thumbprint')
      .optional(),
    allowInsecureHttp: z.boolean().default(false),
    minApprovers: z.number().int().min(1).max(100).optional(),
    timeoutMs: z.number().int().min(1).max(300_000).default(5000),
  })
  .refine((s) => !s.offline || s.jwks !== undefined, {
    message: 'offline verification needs a pinned jwks',
    path: ['jwks'],
  })
  .superRefine((s, ctx) => {
    if (s.serviceUrl === undefined) return;
    try {
      checkServiceUrl(s.serviceUrl, { allowInsecureHttp: s.allowInsecureHttp });
    } catch (err) {
      const message = isClearanceError(err) ? err.message : String(err);
      ctx.addIssue({ code: 'custom', message, path: ['serviceUrl'] });
    }
  });

/** Validated settings of the approval gate for one policy. */
export type GateSettings = Omit<z.infer<typeof settingsSchema>, 'jwks'> & {
  jwks?: JSONWebKeySet;
  /**
   * Set when neither the policy config nor CLEARANCE_URL named the service, so `serviceUrl` is
   * `defaultServiceUrl` (as for the CLI): that it is unreachable then always blocks.
   */
  serviceUrlDefaulted?: true;
};

/** The gate's settings as a pack or a policy config gives them, before defaults and fallbacks. */
export type GateSettingsInput = Omit<z.input<typeof settingsSchema>, 'jwks'> & {
  jwks?: JSONWebKeySet;
};

type SettingKey = keyof z.input<typeof settingsSchema>;

/** Where each setting falls back to when the policy config does not give it. */
export const settingEnvNames: Readonly<Record<SettingKey, string>> = {
  serviceUrl: envNames.url,
  tokenEnv: envNames.tokenEnv,
  stacks: envNames.stacks,
  failMode: envNames.failMode,
  previewMode: envNames.previewMode,
  offline: envNames.offline,
  jwks: envNames.jwks,
  keyThumbprints: envNames.keyThumbprints,
  allowInsecureHttp: envNames.allowHttp,
  minApprovers: envNames.minApprovers,
  timeoutMs: envNames.timeoutMs,
};

/** Turns an environment string into the shape the setting expects; zod reports what is still wrong. */
function fromEnv(key: SettingKey, text: string): unknown {
  switch (key) {
    case 'stacks':
    case 'keyThumbprints':
      return text
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s.length > 0);
    case 'offline':
    case 'allowInsecureHttp':
      return text === 'true' || text === '1'
        ? true
        : text === 'false' || text === '0'
          ? false
          : text;
    case 'minApprovers':
    case 'timeoutMs':
      return /^\d+$/.test(text.trim()) ? Number(text) : text;
    case 'jwks':
      try {
        return JSON.parse(text) as unknown;
      } catch {
        return text;
      }
    default:
      return text;
  }
}

export type SettingsResult =
  { ok: true; settings: GateSettings } | { ok: false; problems: string[] };

/**
 * Reads the gate's settings from a policy's config, falling back to the environment for each
 * setting the config leaves out. Never throws: invalid settings come back as readable problems
 * that name where the bad value came from.
 */
export function resolveGateSettings(config: Record<string, unknown>, env: Env): SettingsResult {
  const input: Record<string, unknown> = {};
  const source: Record<string, string> = {};
  for (const [key, envName] of Object.entries(settingEnvNames) as [SettingKey, string][]) {
    if (config[key] !== undefined) {
      input[key] = config[key];
      source[key] = `policy config "${key}"`;
    } else if (env[envName] !== undefined && env[envName] !== '') {
      input[key] = fromEnv(key, env[envName]);
      source[key] = envName;
    }
  }
  const parsed = settingsSchema.safeParse(input);
  if (parsed.success) {
    const settings = parsed.data as GateSettings;
    if (settings.serviceUrl !== undefined || settings.offline) return { ok: true, settings };
    return {
      ok: true,
      settings: { ...settings, serviceUrl: defaultServiceUrl, serviceUrlDefaulted: true },
    };
  }
  const problems = parsed.error.issues.map((issue) => {
    const key = String(issue.path[0] ?? '');
    const where = source[key] ?? (key || 'settings');
    return `${where}: ${issue.message.replace(/^Invalid input: /, '')}`;
  });
  return { ok: false, problems };
}
