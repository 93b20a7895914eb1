import { decodeJwt, type JSONWebKeySet, type JWTVerifyGetKey } from 'jose';
import { z } from 'zod';
import {
  ClearanceClient,
  approvalClaimsSchema,
  trustedKeys,
  verifyApprovalToken,
  type ApprovalClaims,
  type Clock,
  type KeyPins,
} from '@clearance/client';
import type { TemporarySettings } from './settings.js';

/** The resource whose approval is looked up. */
export interface LookupTarget {
  /** `org/project/stack` */
  stack: string;
  urn: string;
  /** Only approvals under these policies count; any policy when left out. */
  policies?: readonly string[];
}

export type ApprovalState =
  | {
      active: true;
      requestId: string;
      policy: string;
      expiresAt: string;
      source: 'service' | 'token';
    }
  | { active: false; reason: string };

export interface LookupDeps {
  clock: Clock;
  fetch?: typeof fetch;
}

const approvalsResponseSchema = z.object({
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
  keys: z.object({ keys: z.array(z.record(z.string(), z.unknown())) }),
});

interface Candidate {
  token: string;
  policy: string;
  fingerprint: string;
}

function reasonOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * The first candidate whose token verifies for this stack and URN; otherwise why none did.
 * `keys` are those served (or handed in); with pins, only pinned keys count.
 */
async function firstValid(
  candidates: Candidate[],
  keys: JSONWebKeySet | undefined,
  pins: KeyPins | undefined,
  target: LookupTarget,
  clock: Clock,
): Promise<{ claims: ApprovalClaims } | { reason: string }> {
  let reason = `no approval is active for ${target.urn}`;
  let jwks: JWTVerifyGetKey;
  try {
    jwks = await trustedKeys(keys, pins);
  } catch (err) {
    return { reason: `the service keys are unusable: ${reasonOf(err)}` };
  }
  for (const c of candidates) {
    if (target.policies && !target.policies.includes(c.policy)) continue;
    try {
      const binding = {
        stack: target.stack,
        urn: target.urn,
        policy: c.policy,
        fingerprint: c.fingerprint,
      };
      return { claims: await verifyApprovalToken(c.token, jwks, binding, { clock }) };
    } catch (err) {
      reason = `the approval for ${target.urn} does not hold: ${reasonOf(err)}`;
    }
  }
  return { reason };
}

function activeState(claims: ApprovalClaims, source: 'service' | 'token'): ApprovalState {
  return {
    active: true,
    requestId: claims.rid,
    policy: claims.policy,
    expiresAt: new Date(claims.exp * 1000).toISOString(),
    source,
  };
}

async function fromService(
  url: string,
  target: LookupTarget,
  settings: TemporarySettings,
  deps: LookupDeps,
): Promise<ApprovalState> {
  let body: z.infer<typeof approvalsResponseSchema>;
  try {
    const client = new ClearanceClient({
      url,
      token: settings.token,
      timeoutMs: settings.timeoutMs,
      ...(settings.allowInsecureHttp ? { allowInsecureHttp: true } : {}),
      ...(deps.fetch ? { fetch: deps.fetch } : {}),
    });
    body = approvalsResponseSchema.parse(await client.approvals(target.stack));
  } catch (err) {
    return { active: false, reason: `the approval service could not be asked: ${reasonOf(err)}` };
  }
  const candidates = body.approvals.filter((a) => a.urn === target.urn);
  const pins: KeyPins = {
    ...(settings.jwks ? { jwks: settings.jwks } : {}),
    ...(settings.keyThumbprints ? { thumbprints: settings.keyThumbprints } : {}),
  };
  const served = body.keys as JSONWebKeySet;
  const found = await firstValid(candidates, served, pins, target, deps.clock);
  return 'claims' in found
    ? activeState(found.claims, 'service')
    : { active: false, reason: found.reason };
}

function claimsOf(token: string): ApprovalClaims | undefined {
  try {
    const parsed = approvalClaimsSchema.safeParse(decodeJwt(token));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

async function fromTokens(
  target: LookupTarget,
  tokens: string[],
  jwks: JSONWebKeySet,
  clock: Clock,
): Promise<ApprovalState> {
  const candidates: Candidate[] = [];
  for (const token of tokens) {
    const claims = claimsOf(token);
    if (claims?.urn === target.urn && claims.stack === target.stack) {
      candidates.push({ token, policy: claims.policy, fingerprint: claims.fingerprint });
    }
  }
  const found = await firstValid(candidates, undefined, { jwks }, target, clock);
  return 'claims' in found
    ? activeState(found.claims, 'token')
    : { active: false, reason: found.reason };
}

/**
 * Whether a resource has an active approval. With a service configured, the service's list of
 * active approvals is the authority (so revocations count) and each token is verified against
 * its keys, or only against the pinned ones when `jwks` or `keyThumbprints` are set; without a
 * service, tokens handed in by CI are verified against pinned keys. Anything else, or any
 * failure, is "not active": a temporary resource stays out (fail closed).
 */
export async function findActiveApproval(
  target: LookupTarget,
  settings: TemporarySettings,
  deps: LookupDeps,
): Promise<ApprovalState> {
  if (settings.url) return fromService(settings.url, target, settings, deps);
  if (settings.approvalTokens.length > 0) {
    if (!settings.jwks) {
      return {
        active: false,
        reason:
          'approval tokens were handed in, but neither CLEARANCE_URL nor CLEARANCE_JWKS is set to verify them',
      };
    }
    return fromTokens(target, settings.approvalTokens, settings.jwks, deps.clock);
  }
  return {
    active: false,
    reason: 'no approval service is configured (CLEARANCE_URL) and no approval token was handed in',
  };
}
