import type { JSONWebKeySet } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from './clock.js';
import { isClearanceError } from './errors.js';
import type { ApprovalBinding } from './token-claims.js';
import { approvalToken, testKey, type TestKey } from './testing/test-signer.js';
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

function token(key: TestKey): Promise<string> {
  return approvalToken(key, binding, { iat: issuedAt, approvers: ['alice'], jti: 'tok_1' });
}

const set = (...keys: TestKey[]): JSONWebKeySet => ({ keys: keys.map((k) => k.jwk) });

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

let real: TestKey;
let impostor: TestKey;
beforeAll(async () => {
  real = await testKey();
  impostor = await testKey();
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
    const lookalike = await testKey(real.kid);
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
    const odd = await testKey('<script>');
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
