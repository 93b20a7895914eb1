import { createLocalJWKSet, decodeProtectedHeader } from 'jose';
import { describe, expect, it } from 'vitest';
import {
  APPROVAL_TOKEN_TYP,
  isClearanceError,
  ManualClock,
  verifyApprovalToken,
  type ApprovalBinding,
} from '@clearance/client';
import {
  createMemorySigner,
  type ApprovalClaimsInput,
  type ApprovalSigner,
} from './approval-signer.js';

const binding: ApprovalBinding = {
  stack: 'acme/web/prod',
  urn: 'urn:pulumi:prod::web::aws:s3/bucket:Bucket::logs',
  policy: 'aws-s3-bucket-public',
  fingerprint: 'e'.repeat(64),
};

function claims(clock: ManualClock, lifetime: number): ApprovalClaimsInput {
  const now = Math.floor(clock.now().getTime() / 1000);
  return {
    ...binding,
    org: 'acme',
    project: 'web',
    stack: 'acme/web/prod',
    rid: 'req_1',
    approvers: ['alice', 'bob'],
    iat: now,
    nbf: now,
    exp: now + lifetime,
  };
}

async function verify(signer: ApprovalSigner, token: string, clock: ManualClock): Promise<string> {
  try {
    await verifyApprovalToken(token, createLocalJWKSet(signer.jwks()), binding, { clock });
    return 'valid';
  } catch (err) {
    if (isClearanceError(err)) return err.code;
    throw err;
  }
}

describe('KeyringSigner', () => {
  it('signs tokens with the pinned header that verify against its JWKS', async () => {
    const clock = new ManualClock('2026-01-05T09:00:00Z');
    const signer = await createMemorySigner({ clock, maxTokenLifetimeSeconds: 3600 });
    const { token, tokenId, kid } = await signer.sign(claims(clock, 600));
    expect(decodeProtectedHeader(token)).toEqual({ alg: 'EdDSA', typ: APPROVAL_TOKEN_TYP, kid });
    expect(kid).toBe(signer.kid);
    expect(tokenId).toMatch(/^tok_[A-Za-z0-9_-]{22}$/);
    const verified = await verifyApprovalToken(token, createLocalJWKSet(signer.jwks()), binding, {
      clock,
    });
    expect(verified).toMatchObject({
      rid: 'req_1',
      jti: tokenId,
      approvers: ['alice', 'bob'],
      iss: 'clearance',
    });
    expect(signer.jwks().keys).toEqual([
      expect.objectContaining({ kty: 'OKP', crv: 'Ed25519', kid, alg: 'EdDSA', use: 'sig' }),
    ]);
    expect(JSON.stringify(signer.jwks())).not.toMatch(/"d"/);
  });

  it('makes a token valid 1 s before its expiry and invalid 1 s after', async () => {
    const clock = new ManualClock('2026-01-05T09:00:00Z');
    const signer = await createMemorySigner({ clock, maxTokenLifetimeSeconds: 3600 });
    const { token } = await signer.sign(claims(clock, 600));
    clock.set('2026-01-05T09:09:59Z');
    expect(await verify(signer, token, clock)).toBe('valid');
    clock.set('2026-01-05T09:10:01Z');
    expect(await verify(signer, token, clock)).toBe('ERR_TOKEN_EXPIRED');
  });

  it('keeps tokens of a rotated key verifiable until no token of it can be valid', async () => {
    const clock = new ManualClock('2026-01-05T09:00:00Z');
    const signer = await createMemorySigner({ clock, maxTokenLifetimeSeconds: 3600 });
    const old = await signer.sign(claims(clock, 3600));
    const { kid, retiredKid } = await signer.rotate();
    expect(retiredKid).toBe(old.kid);
    expect(kid).not.toBe(old.kid);
    const fresh = await signer.sign(claims(clock, 600));
    expect(fresh.kid).toBe(kid);
    expect(signer.jwks().keys.map((k) => k.kid)).toEqual([kid, old.kid]);
    clock.set('2026-01-05T09:59:59Z');
    expect(await verify(signer, old.token, clock)).toBe('valid');
    clock.set('2026-01-05T10:00:00Z');
    expect(signer.jwks().keys.map((k) => k.kid)).toEqual([kid]);
  });
});
