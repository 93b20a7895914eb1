import type { OidcConfig } from '../config/oidc-schema.js';
import type { Actor } from '../domain/model.js';

/** What the claims say about the user, or why they cannot sign in. */
export type ClaimsVerdict = { ok: true; actor: Actor } | { ok: false; reason: string };

export type ClaimSettings = Pick<
  OidcConfig,
  'userClaim' | 'nameClaim' | 'groupsClaim' | 'groupMap'
>;

const userId = /^[A-Za-z0-9][A-Za-z0-9._@-]*$/;

/** A claim by its exact name, else by a dotted path into nested objects (`realm_access.roles`). */
export function claimValue(claims: Readonly<Record<string, unknown>>, name: string): unknown {
  if (Object.hasOwn(claims, name)) return claims[name];
  let value: unknown = claims;
  for (const part of name.split('.')) {
    if (value === null || typeof value !== 'object' || !Object.hasOwn(value, part)) {
      return undefined;
    }
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

/** The IdP groups of a claim: an array of strings, or one string; anything else counts as none. */
function idpGroups(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (!Array.isArray(value)) return [];
  return value.filter((v): v is string => typeof v === 'string');
}

/**
 * The Clearance user the IdP's claims describe: the id from `userClaim`, the name from
 * `nameClaim` (else the id), and the Clearance groups that `groupMap` gives the IdP groups in
 * `groupsClaim`, each once, sorted. IdP groups the map does not name give nothing.
 */
export function actorFromClaims(
  claims: Readonly<Record<string, unknown>>,
  settings: ClaimSettings,
): ClaimsVerdict {
  const id = claimValue(claims, settings.userClaim);
  if (typeof id !== 'string' || id.length === 0) {
    return { ok: false, reason: `the identity provider sent no "${settings.userClaim}" claim` };
  }
  if (id.length > 100 || !userId.test(id)) {
    return {
      ok: false,
      reason: `the "${settings.userClaim}" claim is not a user name Clearance accepts (letters, digits, ".", "_", "@" or "-")`,
    };
  }
  const name = claimValue(claims, settings.nameClaim);
  const displayName =
    typeof name === 'string' && name.trim() !== '' ? name.trim().slice(0, 200) : id;
  const groups = new Set<string>();
  for (const group of idpGroups(claimValue(claims, settings.groupsClaim))) {
    const mapped = Object.hasOwn(settings.groupMap, group) ? settings.groupMap[group] : undefined;
    for (const g of mapped ?? []) groups.add(g);
  }
  return { ok: true, actor: { id, displayName, groups: [...groups].sort() } };
}

/** Whether the claims lack what `actorFromClaims` reads, so that UserInfo should be asked too. */
export function lacksUserClaims(
  claims: Readonly<Record<string, unknown>>,
  settings: ClaimSettings,
): boolean {
  return (
    claimValue(claims, settings.userClaim) === undefined ||
    claimValue(claims, settings.groupsClaim) === undefined
  );
}
