import {
  calculateJwkThumbprint,
  createLocalJWKSet,
  errors as joseErrors,
  type JSONWebKeySet,
  type JWK,
  type JWTVerifyGetKey,
} from 'jose';
import { ClearanceError } from './errors.js';

/**
 * Keys a verifier trusts whatever the service serves: a pinned JSON Web Key Set
 * (`CLEARANCE_JWKS`), and RFC 7638 SHA-256 thumbprints of keys (the service's key ids are
 * their thumbprints) that are accepted when the service serves them.
 */
export interface KeyPins {
  jwks?: JSONWebKeySet | undefined;
  thumbprints?: readonly string[] | undefined;
}

/** An RFC 7638 SHA-256 JWK thumbprint, base64url: what the service uses as a key id. */
export const keyThumbprintPattern = /^[A-Za-z0-9_-]{43}$/;

/** Whether any key is pinned, so that the served keys alone no longer count. */
export function hasKeyPins(pins: KeyPins | undefined): pins is KeyPins {
  return (pins?.jwks?.keys.length ?? 0) > 0 || (pins?.thumbprints?.length ?? 0) > 0;
}

function localSet(jwks: JSONWebKeySet, what: string): JWTVerifyGetKey {
  try {
    return createLocalJWKSet(jwks);
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    throw new ClearanceError('ERR_CONFIG', `${what} is not usable: ${why}`);
  }
}

/** Offline: the keys of a pinned JSON Web Key Set, and no other (ERR_CONFIG when unusable). */
export function pinnedKeySet(jwks: JSONWebKeySet): JWTVerifyGetKey {
  return localSet(jwks, 'the pinned JSON Web Key Set');
}

async function thumbprintOf(jwk: JWK): Promise<string | undefined> {
  try {
    return await calculateJwkThumbprint(jwk, 'sha256');
  } catch {
    return undefined;
  }
}

/** The key id a token names, when it is fit to quote in a message. */
function quotedKid(kid: unknown): string {
  return typeof kid === 'string' && /^[\w-]{1,100}$/.test(kid) ? ` (kid ${kid})` : '';
}

/**
 * The keys approval tokens verify with. Without pins: the keys the service served. With pins:
 * only the pinned keys and the served keys whose thumbprint is pinned, so that a service
 * (or anyone answering in its place) cannot bring its own key. A token whose key is not pinned
 * is refused with ERR_TOKEN_KEY_NOT_PINNED, even when the service offered it.
 */
export async function trustedKeys(
  served: JSONWebKeySet | undefined,
  pins?: KeyPins,
): Promise<JWTVerifyGetKey> {
  if (!hasKeyPins(pins)) return localSet(served ?? { keys: [] }, "the service's JSON Web Key Set");
  const pinnedThumbprints = new Set(pins.thumbprints ?? []);
  const accepted: JWK[] = [...(pins.jwks?.keys ?? [])];
  const held = new Set(await Promise.all(accepted.map(thumbprintOf)));
  const servedKids = new Set<string>();
  for (const key of served?.keys ?? []) {
    if (typeof key.kid === 'string') servedKids.add(key.kid);
    const thumbprint = await thumbprintOf(key);
    if (thumbprint === undefined || held.has(thumbprint)) continue;
    if (pinnedThumbprints.has(thumbprint)) {
      accepted.push(key);
      held.add(thumbprint);
    }
  }
  const pinned =
    accepted.length > 0 ? localSet({ keys: accepted }, 'the pinned JSON Web Key Set') : undefined;
  return async (header, token) => {
    if (pinned) {
      try {
        return await pinned(header, token);
      } catch (err) {
        if (!(err instanceof joseErrors.JWKSNoMatchingKey)) throw err;
      }
    }
    const offered = typeof header.kid === 'string' && servedKids.has(header.kid);
    throw new ClearanceError(
      'ERR_TOKEN_KEY_NOT_PINNED',
      `the approval token is signed by a key that is not pinned${quotedKid(header.kid)}${offered ? ', although the service offered it' : ''}`,
    );
  };
}
