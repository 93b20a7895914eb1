import {
  calculateJwkThumbprint,
  exportJWK,
  generateKeyPair,
  SignJWT,
  type CryptoKey,
  type JSONWebKeySet,
  type JWK,
} from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from './clock.js';
import { isClearanceError } from './errors.js';
import {
  APPROVAL_TOKEN_ALG,
  APPROVAL_TOKEN_AUDIENCE,
  APPROVAL_TOKEN_ISSUER,
  APPROVAL_TOKEN_TYP,
  type ApprovalBinding,
} from './token-claims.js';
import { hasKeyPins, trustedKeys, type KeyPins } from './trusted-keys.js';
import { verifyApprovalToken } from './verify-token.js';

const binding: ApprovalBinding = {
  stack: 'acme/web/prod',
  urn: 'urn:pulumi:prod::web::aws:ec2/securityGroup:SecurityGroup::ssh',
  policy: 'aws-security-group-open-ingress',
  fingerprint: '7a'.repeat(32),
};
const clock = new ManualClock('2026-01-05T09:30:00Z');
const issuedAt = Date.parse('2026-01-05T09:00:00Z') / 1000;

/** A signing key as the service makes one: its key id is its RFC 7638 thumbprint. */
interface Key {
  privateKey: CryptoKey;
  jwk: JWK;
  kid: string;
}

async function serviceKey(kid?: string): Promise<Key> {
  const { privateKey, publicKey } = await generateKeyPair(APPROVAL_TOKEN_ALG, { crv: 'Ed25519' });
  const jwk = await exportJWK(publicKey);
  const thumbprint = await calculateJwkThumbprint(jwk);
  const id = kid ?? thumbprint;
  return { privateKey, jwk: { ...jwk, kid: id, alg: APPROVAL_TOKEN_ALG, use: 'sig' }, kid: id };
}

function token(key: Key): Promise<string> {
  return new SignJWT({
    ...binding,
    org: 'acme',
    project: 'web',
    rid: 'req_1',
    approvers: ['alice'],
    iat: issuedAt,
    nbf: issuedAt,
    exp: issuedAt + 3600,
  })
    .setProtectedHeader({ alg: APPROVAL_TOKEN_ALG, typ: APPROVAL_TOKEN_TYP, kid: key.kid })
    .setIssuer(APPROVAL_TOKEN_ISSUER)
    .setAudience(APPROVAL_TOKEN_AUDIENCE)
    .setJti('tok_1')
    .sign(key.privateKey);
}

const set = (...keys: Key[]): JSONWebKeySet => ({ keys: keys.map((k) => k.jwk) });

/** 'valid', or the code the token is refused with, given what the service served and the pins. */
async function outcome(jws: string, served: JSONWebKeySet, pins?: KeyPins): Promise<string> {
  try {
    await verifyApprovalToken(jws, await trustedKeys(served, pins), binding, { clock });
    return 'valid';
  } catch (err) {
    if (isClearanceError(err)) return err.code;
    throw err;
  }
}

let real: Key;
let impostor: Key;
beforeAll(async () => {
  real = await serviceKey();
  impostor = await serviceKey();
});

describe('trustedKeys', () => {
  it('without pins, trusts the keys the service served (and only those)', async () => {
    expect(await outcome(await token(real), set(real))).toBe('valid');
    expect(await outcome(await token(impostor), set(real))).toBe('ERR_TOKEN_INVALID');
  });

  it('with a pinned key set, refuses a key the service offered but nobody pinned', async () => {
    const pins = { jwks: set(real) };
    expect(await outcome(await token(impostor), set(impostor), pins)).toBe(
      'ERR_TOKEN_KEY_NOT_PINNED',
    );
    expect(await outcome(await token(impostor), set(real, impostor), pins)).toBe(
      'ERR_TOKEN_KEY_NOT_PINNED',
    );
    expect(await outcome(await token(real), set(impostor), pins)).toBe('valid');
    expect(await outcome(await token(real), { keys: [] }, pins)).toBe('valid');
  });

  it('with pinned thumbprints, accepts a served key only if its own thumbprint is pinned', async () => {
    const pins = { thumbprints: [real.kid] };
    expect(await outcome(await token(real), set(real, impostor), pins)).toBe('valid');
    expect(await outcome(await token(impostor), set(real, impostor), pins)).toBe(
      'ERR_TOKEN_KEY_NOT_PINNED',
    );
    // An impostor that names its own key with the pinned key id gains nothing.
    const lookalike = await serviceKey(real.kid);
    expect(await outcome(await token(lookalike), set(lookalike), pins)).toBe(
      'ERR_TOKEN_KEY_NOT_PINNED',
    );
    // Pinning does not make the service's key optional for thumbprints: it must be served.
    expect(await outcome(await token(real), { keys: [] }, pins)).toBe('ERR_TOKEN_KEY_NOT_PINNED');
  });

  it('says whether the service offered the unpinned key, and never quotes an odd kid', async () => {
    const pins = { jwks: set(real) };
    const offered = await trustedKeys(set(impostor), pins);
    await expect(
      verifyApprovalToken(await token(impostor), offered, binding, { clock }),
    ).rejects.toThrow(`not pinned (kid ${impostor.kid}), although the service offered it`);
    const odd = await serviceKey('<script>');
    const unknown = await trustedKeys(set(odd), pins);
    const err = await verifyApprovalToken(await token(odd), unknown, binding, { clock }).catch(
      (e: unknown) => e,
    );
    expect(isClearanceError(err, 'ERR_TOKEN_KEY_NOT_PINNED')).toBe(true);
    expect((err as Error).message).not.toContain('<script>');
  });

  it('takes an empty pin list as no pins', () => {
    expect(hasKeyPins(undefined)).toBe(false);
    expect(hasKeyPins({ jwks: { keys: [] }, thumbprints: [] })).toBe(false);
    expect(hasKeyPins({ thumbprints: ['x'.repeat(43)] })).toBe(true);
  });
});
