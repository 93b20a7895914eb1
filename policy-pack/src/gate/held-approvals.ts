import { createLocalJWKSet, type JSONWebKeySet, type JWTVerifyGetKey } from 'jose';
import {
  ClearanceError,
  trustedKeys,
  type ApprovalsResponse,
  type CheckResult,
  type Clock,
  type KeyPins,
} from '@clearance/client';
import { bindingKey } from './gate-item.js';
import type { HandedToken } from './handed-tokens.js';
import { VerifiedTokens } from './verified-tokens.js';

/** A token that may approve a binding, and where it came from. */
export interface Candidate {
  token: string;
  source: 'service' | 'handed';
}

/** The approvals a run holds: fetched once from the service, or handed in by CI. */
export interface HeldApprovals {
  tokens: VerifiedTokens;
  /**
   * Online: the request ids the service lists as active (not revoked, not expired); a handed
   * token counts only if its request is among them. Offline: undefined (revocation unchecked).
   */
  activeIds: ReadonlySet<string> | undefined;
  candidates(key: string): Candidate[];
  /**
   * Online, from a service that lists them: the latest request of every other state of the
   * stack, by binding key. Undefined otherwise (the pack then asks `POST /v1/checks`).
   */
  requests?: ReadonlyMap<string, CheckResult>;
}

function keySet(jwks: JSONWebKeySet): JWTVerifyGetKey {
  try {
    return createLocalJWKSet(jwks);
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    throw new ClearanceError('ERR_CONFIG', `the JSON Web Key Set is not usable: ${why}`);
  }
}

function indexTokens(
  service: ApprovalsResponse['approvals'],
  handed: readonly HandedToken[],
): Map<string, Candidate[]> {
  const byKey = new Map<string, Candidate[]>();
  const add = (key: string, candidate: Candidate) => {
    const list = byKey.get(key);
    if (list) list.push(candidate);
    else byKey.set(key, [candidate]);
  };
  for (const a of service) add(bindingKey(a), { token: a.token, source: 'service' });
  for (const h of handed) if (h.key !== undefined) add(h.key, { token: h.token, source: 'handed' });
  return byKey;
}

/**
 * What an online run holds after its one call to `GET /v1/approvals`. The listed approvals of
 * the stack start verifying at once, so that resources find their results ready. With pinned
 * keys, only those verify, whatever keys the response carries.
 */
export async function onlineApprovals(
  response: ApprovalsResponse,
  handed: readonly HandedToken[],
  stack: string,
  clock: Clock,
  pins?: KeyPins,
): Promise<HeldApprovals> {
  const byKey = indexTokens(response.approvals, handed);
  const tokens = new VerifiedTokens(await trustedKeys(response.keys, pins), clock);
  for (const { token, urn, policy, fingerprint } of response.approvals) {
    void tokens.verify(token, { stack, urn, policy, fingerprint });
  }
  return {
    tokens,
    activeIds: new Set(response.approvals.map((a) => a.id)),
    candidates: (key) => byKey.get(key) ?? [],
    ...(response.requests
      ? { requests: new Map(response.requests.map((r) => [bindingKey(r), r])) }
      : {}),
  };
}

/** What an offline run holds: the handed tokens and the pinned keys. */
export function offlineApprovals(
  jwks: JSONWebKeySet,
  handed: readonly HandedToken[],
  clock: Clock,
): HeldApprovals {
  const byKey = indexTokens([], handed);
  return {
    tokens: new VerifiedTokens(keySet(jwks), clock),
    activeIds: undefined,
    candidates: (key) => byKey.get(key) ?? [],
  };
}
