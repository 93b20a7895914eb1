import type { JSONWebKeySet } from 'jose';
import { z } from 'zod';
import {
  checkServiceUrl,
  envNames,
  keyThumbprintPattern,
  splitApprovalTokens,
} from '@clearance/client';

/** How a program finds out whether its temporary resources are approved. */
export interface TemporarySettings {
  /** The approval service; when set, it is the authority (revocations included). */
  url?: string | undefined;
  /** API token for the service. */
  token?: string | undefined;
  /** Approval tokens handed in by CI, verified offline against `jwks` when no service is set. */
  approvalTokens: string[];
  /**
   * Pinned public keys of the service: offline, what handed-in tokens verify with; online, the
   * only keys (with `keyThumbprints`) a token from the service may be signed with.
   */
  jwks?: JSONWebKeySet | undefined;
  /** Pinned RFC 7638 thumbprints (the service's key ids) of keys the service may serve. */
  keyThumbprints?: string[] | undefined;
  /** Allows plain http:// to a `url` that is not loopback (refused otherwise). */
  allowInsecureHttp?: boolean | undefined;
  /** Temporary resources to include without an approval, so that the policy pack opens a request. */
  requested: '*' | string[];
  timeoutMs: number;
}

const nonEmpty = (v: string | undefined): string | undefined => (v?.trim() ? v.trim() : undefined);

const jwksSchema = z.object({ keys: z.array(z.record(z.string(), z.unknown())).min(1) });

const settingsSchema = z.object({
  url: z.url({ protocol: /^https?$/ }).optional(),
  token: z.string().optional(),
  approvalTokens: z.array(
    z.string().regex(/^[\w-]+\.[\w-]+\.[\w-]+$/, 'expected compact JWS tokens'),
  ),
  jwks: jwksSchema.optional(),
  keyThumbprints: z
    .array(z.string().regex(keyThumbprintPattern, 'expected RFC 7638 SHA-256 key thumbprints'))
    .optional(),
  allowInsecureHttp: z.boolean(),
  requested: z.union([
    z.literal('*'),
    z.array(z.string().regex(/^[\w.-]+$/, 'expected resource names separated by commas')),
  ]),
  timeoutMs: z.number().int().positive().max(120_000),
});

function list(text: string | undefined): string[] {
  return (text ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

function parseJson(text: string | undefined, name: string): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new Error(`${name} must hold a JSON Web Key Set ({"keys": [...]}), not valid JSON`);
  }
}

/**
 * Reads the settings from the environment: CLEARANCE_URL, CLEARANCE_TOKEN,
 * CLEARANCE_APPROVAL_TOKENS (comma-separated), CLEARANCE_JWKS (JSON),
 * CLEARANCE_KEY_THUMBPRINTS (comma-separated), CLEARANCE_ALLOW_HTTP (`true` or `1`),
 * CLEARANCE_REQUEST (`*` or comma-separated names), CLEARANCE_TIMEOUT_MS.
 * Throws with a message naming the variable when one is malformed, or when CLEARANCE_URL is
 * plain http:// to a host other than loopback without CLEARANCE_ALLOW_HTTP.
 */
export function settingsFromEnv(
  env: Record<string, string | undefined> = process.env,
): TemporarySettings {
  const requested = nonEmpty(env[envNames.request]);
  const timeout = nonEmpty(env[envNames.timeoutMs]);
  const thumbprints = list(env[envNames.keyThumbprints]);
  const parsed = settingsSchema.safeParse({
    url: nonEmpty(env[envNames.url]),
    token: nonEmpty(env[envNames.token]),
    approvalTokens: splitApprovalTokens(env[envNames.approvalTokens]),
    jwks: parseJson(nonEmpty(env[envNames.jwks]), envNames.jwks),
    keyThumbprints: thumbprints.length > 0 ? thumbprints : undefined,
    allowInsecureHttp: ['true', '1'].includes(nonEmpty(env[envNames.allowHttp]) ?? ''),
    requested: requested === '*' ? '*' : list(requested),
    timeoutMs: timeout === undefined ? 10_000 : Number(timeout),
  });
  if (!parsed.success) {
    const names: Record<string, string> = {
      url: envNames.url,
      token: envNames.token,
      approvalTokens: envNames.approvalTokens,
      jwks: envNames.jwks,
      keyThumbprints: envNames.keyThumbprints,
      allowInsecureHttp: envNames.allowHttp,
      requested: envNames.request,
      timeoutMs: envNames.timeoutMs,
    };
    const issue = parsed.error.issues[0];
    const key = String(issue?.path[0] ?? '');
    throw new Error(`${names[key] ?? key}: ${issue?.message ?? 'invalid'}`);
  }
  const { jwks, keyThumbprints, allowInsecureHttp, ...rest } = parsed.data;
  if (rest.url !== undefined) {
    try {
      checkServiceUrl(rest.url, { allowInsecureHttp });
    } catch (err) {
      throw new Error(`${envNames.url}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  return {
    ...rest,
    jwks: jwks as JSONWebKeySet | undefined,
    keyThumbprints,
    ...(allowInsecureHttp ? { allowInsecureHttp } : {}),
  };
}

/** Whether the deployer asked to include this temporary resource without an approval. */
export function isRequested(settings: TemporarySettings, name: string): boolean {
  return settings.requested === '*' || settings.requested.includes(name);
}
