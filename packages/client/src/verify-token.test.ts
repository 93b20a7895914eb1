import { createLocalJWKSet, type JSONWebKeySet } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from './clock.js';
import { isClearanceError } from './errors.js';
import {
  APPROVAL_TOKEN_AUDIENCE,
  APPROVAL_TOKEN_ISSUER,
  type ApprovalBinding,
} from './token-claims.js';
import { approvalToken, testKey, type TestKey } from './testing/test-signer.js';
import { verifyApprovalToken, type VerifyOptions } from './verify-token.js';
import type { TimeWindow } from './window.js';

const binding: ApprovalBinding = {
  stack: 'acme/web/prod',
  urn: 'urn:pulumi:prod::web::aws:ec2/securityGroup:SecurityGroup::ssh',
  policy: 'aws-security-group-open-ingress',
  fingerprint: '7a'.repeat(32),
};
/** Monday 5 January 2026, 09:00 UTC. */
const issuedAt = Date.parse('2026-01-05T09:00:00Z') / 1000;

let key: TestKey;
let jwks: JSONWebKeySet;
let otherKey: TestKey['privateKey'];

beforeAll(async () => {
  key = await testKey('k1');
  jwks = { keys: [key.jwk] };
  ({ privateKey: otherKey } = await testKey());
});

interface TokenOptions {
  claims?: Record<string, unknown>;
  typ?: string;
  issuer?: string;
  audience?: string;
  signWith?: TestKey['privateKey'];
}

function token(options: TokenOptions = {}): Promise<string> {
  return approvalToken({ kid: key.kid, privateKey: options.signWith ?? key.privateKey }, binding, {
    iat: issuedAt,
    jti: 'tok_1',
    typ: options.typ,
    claims: {
      ...options.claims,
      iss: options.issuer ?? APPROVAL_TOKEN_ISSUER,
      aud: options.audience ?? APPROVAL_TOKEN_AUDIENCE,
    },
  });
}

async function outcome(
  jws: string,
  at: string,
  expected: ApprovalBinding = binding,
  options: Omit<VerifyOptions, 'clock'> = {},
): Promise<string> {
  try {
    await verifyApprovalToken(jws, createLocalJWKSet(jwks), expected, {
      clock: new ManualClock(at),
      ...options,
    });
    return 'valid';
  } catch (err) {
    if (isClearanceError(err)) return err.code;
    throw err;
  }
}

describe('verifyApprovalToken', () => {
  it('returns the claims of a token bound to exactly this stack, resource, policy and state', async () => {
    const claims = await verifyApprovalToken(await token(), createLocalJWKSet(jwks), binding, {
      clock: new ManualClock('2026-01-05T09:30:00Z'),
    });
    expect(claims).toMatchObject({ ...binding, rid: 'req_1', approvers: ['alice', 'bob'] });
  });

  it('refuses a token for another stack, resource, policy or resource state', async () => {
    const jws = await token();
    for (const [key, value] of [
      ['stack', 'acme/web/dev'],
      ['urn', `${binding.urn}2`],
      ['policy', 'aws-s3-public-access'],
      ['fingerprint', '7b'.repeat(32)],
    ] as const) {
      const code = await outcome(jws, '2026-01-05T09:30:00Z', { ...binding, [key]: value });
      expect({ key, code }).toEqual({ key, code: 'ERR_TOKEN_MISMATCH' });
    }
  });

  it('holds from nbf until exp (exclusive)', async () => {
    const jws = await token();
    expect(await outcome(jws, '2026-01-05T08:59:59Z')).toBe('ERR_TOKEN_NOT_YET_VALID');
    expect(await outcome(jws, '2026-01-05T09:00:00Z')).toBe('valid');
    expect(await outcome(jws, '2026-01-05T09:59:59Z')).toBe('valid');
    expect(await outcome(jws, '2026-01-05T10:00:01Z')).toBe('ERR_TOKEN_EXPIRED');
  });

  it('refuses another typ, issuer or audience, a foreign key and a forged signature', async () => {
    const at = '2026-01-05T09:30:00Z';
    expect(await outcome(await token({ typ: 'JWT' }), at)).toBe('ERR_TOKEN_INVALID');
    expect(await outcome(await token({ issuer: 'someone-else' }), at)).toBe('ERR_TOKEN_INVALID');
    expect(await outcome(await token({ audience: 'another-app' }), at)).toBe('ERR_TOKEN_INVALID');
    expect(await outcome(await token({ signWith: otherKey }), at)).toBe('ERR_TOKEN_INVALID');
    const [header, , signature] = (await token()).split('.');
    const payload = Buffer.from(
      JSON.stringify({ ...binding, approvers: ['mallory'], exp: issuedAt + 86_400 }),
    ).toString('base64url');
    expect(await outcome(`${header}.${payload}.${signature}`, at)).toBe('ERR_TOKEN_INVALID');
  });

  it('refuses a token without the approvers the pack demands', async () => {
    const jws = await token();
    const at = '2026-01-05T09:30:00Z';
    expect(await outcome(jws, at, binding, { minApprovers: 2 })).toBe('valid');
    expect(await outcome(jws, at, binding, { minApprovers: 3 })).toBe('ERR_INSUFFICIENT_APPROVALS');
  });

  it('counts distinct approvers, and says how many it counted', async () => {
    const jws = await token({ claims: { approvers: ['alice', 'alice'] } });
    const verify = verifyApprovalToken(jws, createLocalJWKSet(jwks), binding, {
      clock: new ManualClock('2026-01-05T09:30:00Z'),
      minApprovers: 2,
    });
    await expect(verify).rejects.toMatchObject({
      code: 'ERR_INSUFFICIENT_APPROVALS',
      message: 'the approval has 1 approver(s); this pack requires 2',
    });
  });

  describe('with the window the service put in the token', () => {
    async function windowed(window: TimeWindow, from: string, hours: number): Promise<string> {
      const iat = Date.parse(from) / 1000;
      return token({ claims: { window, iat, nbf: iat, exp: iat + hours * 3600 } });
    }

    it('holds only inside the window, even before it expires', async () => {
      const office: TimeWindow = {
        days: ['mon', 'tue', 'wed', 'thu', 'fri'],
        from: '09:00',
        to: '17:00',
        timeZone: 'Europe/Paris',
      };
      const jws = await windowed(office, '2026-01-05T15:00:00Z', 2);
      expect(await outcome(jws, '2026-01-05T15:59:59Z')).toBe('valid');
      expect(await outcome(jws, '2026-01-05T16:00:00Z')).toBe('ERR_OUTSIDE_WINDOW');
    });

    it('follows a window across midnight', async () => {
      const night: TimeWindow = { days: ['fri'], from: '22:00', to: '02:00', timeZone: 'UTC' };
      const jws = await windowed(night, '2026-01-09T21:00:00Z', 6);
      expect(await outcome(jws, '2026-01-09T21:59:59Z')).toBe('ERR_OUTSIDE_WINDOW');
      expect(await outcome(jws, '2026-01-09T22:00:00Z')).toBe('valid');
      expect(await outcome(jws, '2026-01-10T01:59:59Z')).toBe('valid');
      expect(await outcome(jws, '2026-01-10T02:00:00Z')).toBe('ERR_OUTSIDE_WINDOW');
    });

    it('follows a window on a daylight-saving change day', async () => {
      const early: TimeWindow = {
        days: ['sun'],
        from: '01:00',
        to: '03:30',
        timeZone: 'Europe/Paris',
      };
      const jws = await windowed(early, '2026-03-28T23:00:00Z', 4);
      expect(await outcome(jws, '2026-03-28T23:59:59Z')).toBe('ERR_OUTSIDE_WINDOW');
      expect(await outcome(jws, '2026-03-29T00:00:00Z')).toBe('valid');
      expect(await outcome(jws, '2026-03-29T01:29:59Z')).toBe('valid');
      expect(await outcome(jws, '2026-03-29T01:30:00Z')).toBe('ERR_OUTSIDE_WINDOW');
    });
  });
});
