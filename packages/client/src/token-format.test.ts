import { createLocalJWKSet, decodeProtectedHeader, SignJWT, importJWK } from 'jose';
import { describe, expect, it } from 'vitest';
import { ManualClock } from './clock.js';
import type { ConditionVerdict } from './context-claims.js';
import { isClearanceError } from './errors.js';
import { APPROVAL_TOKEN_ALG, type ApprovalBinding } from './token-claims.js';
import { verifyApprovalToken, type VerifyOptions } from './verify-token.js';

/**
 * Golden vector of the approval token format: a fixed Ed25519 key, fixed claims, and the compact
 * JWS they give, computed apart from this code (Node's own Ed25519 over the base64url of the
 * header and claims as written below; Ed25519 signatures are deterministic). A verifier written
 * elsewhere (a pack in another language) must accept exactly this token for exactly this binding.
 */
const goldenKey = {
  kty: 'OKP',
  crv: 'Ed25519',
  x: 'xkRy2k2w3Vg0evScwZzZ7OlollXT0O4Tg-wc9r1xTjY',
  d: 'NXEgfXwNYLBA87aNz5-l1HA7gzXRls5ikDc1PLrcS3w',
};
/** RFC 7638 thumbprint of the public key: the `kid` the service gives it. */
const goldenKid = 'pNndYhwo2lqsYasvlZtgJ8a0uTRUoN65rvbwU4iSeSs';
const goldenHeader = { alg: 'EdDSA', typ: 'clearance-approval+jwt', kid: goldenKid };
const goldenClaims = {
  stack: 'acme/shop/prod',
  urn: 'urn:pulumi:prod::shop::aws:ec2/securityGroup:SecurityGroup::bastion',
  policy: 'aws-security-group-open-ingress',
  fingerprint: 'b7709347d3395e82730415131722a7390689bb13524e7e6217ea066240dee396',
  rid: 'req_golden',
  org: 'acme',
  project: 'shop',
  approvers: ['alice', 'bob'],
  iat: 1767225600,
  nbf: 1767225600,
  exp: 1767229200,
  iss: 'clearance',
  aud: 'clearance-policy-pack',
  jti: 'tok_golden',
};
const goldenToken =
  'eyJhbGciOiJFZERTQSIsInR5cCI6ImNsZWFyYW5jZS1hcHByb3ZhbCtqd3QiLCJraWQiOiJwTm5kWWh3bzJscXNZYXN2bFp0Z0o4YTB1VFJVb042NXJ2YndVNGlTZVNzIn0' +
  '.eyJzdGFjayI6ImFjbWUvc2hvcC9wcm9kIiwidXJuIjoidXJuOnB1bHVtaTpwcm9kOjpzaG9wOjphd3M6ZWMyL3NlY3VyaXR5R3JvdXA6U2VjdXJpdHlHcm91cDo6YmFzdGlvbiIsInBvbGljeSI6ImF3cy1zZWN1cml0eS1ncm91cC1vcGVuLWluZ3Jlc3MiLCJmaW5nZXJwcmludCI6ImI3NzA5MzQ3ZDMzOTVlODI3MzA0MTUxMzE3MjJhNzM5MDY4OWJiMTM1MjRlN2U2MjE3ZWEwNjYyNDBkZWUzOTYiLCJyaWQiOiJyZXFfZ29sZGVuIiwib3JnIjoiYWNtZSIsInByb2plY3QiOiJzaG9wIiwiYXBwcm92ZXJzIjpbImFsaWNlIiwiYm9iIl0sImlhdCI6MTc2NzIyNTYwMCwibmJmIjoxNzY3MjI1NjAwLCJleHAiOjE3NjcyMjkyMDAsImlzcyI6ImNsZWFyYW5jZSIsImF1ZCI6ImNsZWFyYW5jZS1wb2xpY3ktcGFjayIsImp0aSI6InRva19nb2xkZW4ifQ' +
  '.HUtHMqcPSXGLnkx7SHINMhzpYdj4-CvYJLGEK6hQPyP6QcN7d_0lzDQ4cGYZIh93g1GDDU20HXciESZFcyzxDg';

const binding: ApprovalBinding = {
  stack: goldenClaims.stack,
  urn: goldenClaims.urn,
  policy: goldenClaims.policy,
  fingerprint: goldenClaims.fingerprint,
};
const publicJwk = { kty: goldenKey.kty, crv: goldenKey.crv, x: goldenKey.x };
const keys = createLocalJWKSet({ keys: [{ ...publicJwk, kid: goldenKid, alg: 'EdDSA' }] });
/** Ten minutes into the token's hour. */
const during = new ManualClock(new Date((goldenClaims.iat + 600) * 1000));

function encode(part: object): string {
  return Buffer.from(JSON.stringify(part)).toString('base64url');
}

describe('approval token golden vector', () => {
  it('verifies to exactly the pinned claims, under the pinned header', async () => {
    expect(decodeProtectedHeader(goldenToken)).toEqual(goldenHeader);
    const claims = await verifyApprovalToken(goldenToken, keys, binding, { clock: during });
    expect(claims).toEqual(goldenClaims);
  });

  it('is what the format gives for the fixed key and claims, byte for byte', async () => {
    const privateKey = await importJWK(goldenKey, APPROVAL_TOKEN_ALG);
    const signed = await new SignJWT(goldenClaims)
      .setProtectedHeader(goldenHeader)
      .sign(privateKey);
    expect(signed).toBe(goldenToken);
    expect(goldenToken.split('.').slice(0, 2)).toEqual([
      encode(goldenHeader),
      encode(goldenClaims),
    ]);
  });

  it.each(Object.keys(goldenClaims))(
    'is refused when %s is changed after signing',
    async (name) => {
      const value = goldenClaims[name as keyof typeof goldenClaims];
      const changed = {
        ...goldenClaims,
        [name]: typeof value === 'number' ? value + 1 : `${value}x`,
      };
      const [header, , signature] = goldenToken.split('.');
      const forged = `${header}.${encode(changed)}.${signature}`;
      const error = await verifyApprovalToken(forged, keys, binding, { clock: during }).catch(
        (err: unknown) => err,
      );
      expect(isClearanceError(error) && error.code).toBe('ERR_TOKEN_INVALID');
    },
  );
});

/**
 * Golden vector of the context claims (change freezes, deploy-time conditions, approvals a
 * condition gave), signed with the same key apart from this code (Node's own Ed25519). A token
 * without them (the vector above) keeps verifying as before.
 */
const contextClaims = {
  ...goldenClaims,
  rid: 'req_golden_context',
  approvers: ['alice'],
  jti: 'tok_golden_context',
  autoApprovals: [{ condition: 'on-call', approvals: 1 }],
  conditions: [{ condition: 'incident-open' }, { condition: 'error-rate-low', failOpen: true }],
  /** The last half hour of the token's hour. */
  freezes: [{ name: 'year-end', start: 1767227400, end: 1767229200 }],
};
const contextToken =
  'eyJhbGciOiJFZERTQSIsInR5cCI6ImNsZWFyYW5jZS1hcHByb3ZhbCtqd3QiLCJraWQiOiJwTm5kWWh3bzJscXNZYXN2bFp0Z0o4YTB1VFJVb042NXJ2YndVNGlTZVNzIn0' +
  '.eyJzdGFjayI6ImFjbWUvc2hvcC9wcm9kIiwidXJuIjoidXJuOnB1bHVtaTpwcm9kOjpzaG9wOjphd3M6ZWMyL3NlY3VyaXR5R3JvdXA6U2VjdXJpdHlHcm91cDo6YmFzdGlvbiIsInBvbGljeSI6ImF3cy1zZWN1cml0eS1ncm91cC1vcGVuLWluZ3Jlc3MiLCJmaW5nZXJwcmludCI6ImI3NzA5MzQ3ZDMzOTVlODI3MzA0MTUxMzE3MjJhNzM5MDY4OWJiMTM1MjRlN2U2MjE3ZWEwNjYyNDBkZWUzOTYiLCJyaWQiOiJyZXFfZ29sZGVuX2NvbnRleHQiLCJvcmciOiJhY21lIiwicHJvamVjdCI6InNob3AiLCJhcHByb3ZlcnMiOlsiYWxpY2UiXSwiaWF0IjoxNzY3MjI1NjAwLCJuYmYiOjE3NjcyMjU2MDAsImV4cCI6MTc2NzIyOTIwMCwiaXNzIjoiY2xlYXJhbmNlIiwiYXVkIjoiY2xlYXJhbmNlLXBvbGljeS1wYWNrIiwianRpIjoidG9rX2dvbGRlbl9jb250ZXh0IiwiYXV0b0FwcHJvdmFscyI6W3siY29uZGl0aW9uIjoib24tY2FsbCIsImFwcHJvdmFscyI6MX1dLCJjb25kaXRpb25zIjpbeyJjb25kaXRpb24iOiJpbmNpZGVudC1vcGVuIn0seyJjb25kaXRpb24iOiJlcnJvci1yYXRlLWxvdyIsImZhaWxPcGVuIjp0cnVlfV0sImZyZWV6ZXMiOlt7Im5hbWUiOiJ5ZWFyLWVuZCIsInN0YXJ0IjoxNzY3MjI3NDAwLCJlbmQiOjE3NjcyMjkyMDB9XX0' +
  '.Qp5JE8QFZk6FQZ5d8vqRjqjd_WqDWdAH5PqTTaFvnjknxjzfSAkaM5p6S0VZcPSNj-gJg26OkbTqiz_vtCFmDA';

function verdicts(holds: Record<string, boolean | undefined>): Map<string, ConditionVerdict> {
  return new Map(
    Object.entries(holds).map(([condition, h]) => [
      condition,
      {
        condition,
        ...(h === undefined ? {} : { holds: h }),
        message: `${condition}: ${String(h)}`,
        checkedAt: '2026-01-01T00:10:00Z',
      },
    ]),
  );
}

describe('approval token golden vector with context claims', () => {
  const holding = verdicts({ 'incident-open': true, 'error-rate-low': undefined });

  it('is what the format gives for the fixed key and claims, byte for byte', async () => {
    const privateKey = await importJWK(goldenKey, APPROVAL_TOKEN_ALG);
    const signed = await new SignJWT(contextClaims)
      .setProtectedHeader(goldenHeader)
      .sign(privateKey);
    expect(signed).toBe(contextToken);
  });

  it('verifies to the pinned claims while its conditions hold (one failing open)', async () => {
    const claims = await verifyApprovalToken(contextToken, keys, binding, {
      clock: during,
      conditionVerdicts: holding,
    });
    expect(claims).toEqual(contextClaims);
  });

  it('is refused in its freeze period, when a condition does not hold, and offline', async () => {
    const codeOf = (options: Partial<VerifyOptions>) =>
      verifyApprovalToken(contextToken, keys, binding, { clock: during, ...options }).then(
        () => 'verified',
        (err: unknown) => (isClearanceError(err) ? err.code : String(err)),
      );
    const frozen = new ManualClock(new Date(1767227400 * 1000));
    expect(await codeOf({ clock: frozen, conditionVerdicts: holding })).toBe('ERR_FROZEN');
    const turned = verdicts({ 'incident-open': false, 'error-rate-low': true });
    expect(await codeOf({ conditionVerdicts: turned })).toBe('ERR_CONDITION_FAILED');
    expect(await codeOf({})).toBe('ERR_CONDITION_FAILED');
  });
});

/**
 * Golden vector of a break-glass approval (`breakGlass: true`): one person approved
 * their own request at once, signed with the same key apart from this code (Node's own
 * Ed25519). The vectors above, without the claim, keep verifying as before.
 */
const glassClaims = {
  ...goldenClaims,
  rid: 'req_golden_glass',
  approvers: ['carol'],
  jti: 'tok_golden_glass',
  breakGlass: true,
};
const glassToken =
  'eyJhbGciOiJFZERTQSIsInR5cCI6ImNsZWFyYW5jZS1hcHByb3ZhbCtqd3QiLCJraWQiOiJwTm5kWWh3bzJscXNZYXN2bFp0Z0o4YTB1VFJVb042NXJ2YndVNGlTZVNzIn0' +
  '.eyJzdGFjayI6ImFjbWUvc2hvcC9wcm9kIiwidXJuIjoidXJuOnB1bHVtaTpwcm9kOjpzaG9wOjphd3M6ZWMyL3NlY3VyaXR5R3JvdXA6U2VjdXJpdHlHcm91cDo6YmFzdGlvbiIsInBvbGljeSI6ImF3cy1zZWN1cml0eS1ncm91cC1vcGVuLWluZ3Jlc3MiLCJmaW5nZXJwcmludCI6ImI3NzA5MzQ3ZDMzOTVlODI3MzA0MTUxMzE3MjJhNzM5MDY4OWJiMTM1MjRlN2U2MjE3ZWEwNjYyNDBkZWUzOTYiLCJyaWQiOiJyZXFfZ29sZGVuX2dsYXNzIiwib3JnIjoiYWNtZSIsInByb2plY3QiOiJzaG9wIiwiYXBwcm92ZXJzIjpbImNhcm9sIl0sImlhdCI6MTc2NzIyNTYwMCwibmJmIjoxNzY3MjI1NjAwLCJleHAiOjE3NjcyMjkyMDAsImlzcyI6ImNsZWFyYW5jZSIsImF1ZCI6ImNsZWFyYW5jZS1wb2xpY3ktcGFjayIsImp0aSI6InRva19nb2xkZW5fZ2xhc3MiLCJicmVha0dsYXNzIjp0cnVlfQ' +
  '.MELMC5I5k1vfoCT3SSbPoSBzpWjojGXeKiW_jo6_M4jzRdbd_Axg6U0bfAKiDFdfePx74U5AkV3wrUESwFtADQ';

describe('approval token golden vector of a break-glass approval', () => {
  it('is what the format gives for the fixed key and claims, byte for byte', async () => {
    const privateKey = await importJWK(goldenKey, APPROVAL_TOKEN_ALG);
    const signed = await new SignJWT(glassClaims).setProtectedHeader(goldenHeader).sign(privateKey);
    expect(signed).toBe(glassToken);
  });

  it('verifies to exactly the pinned claims, breakGlass included', async () => {
    const claims = await verifyApprovalToken(glassToken, keys, binding, { clock: during });
    expect(claims).toEqual(glassClaims);
  });

  it('is refused when breakGlass is taken out or changed after signing', async () => {
    const [header, , signature] = glassToken.split('.');
    const { breakGlass: _dropped, ...without } = glassClaims;
    for (const changed of [without, { ...glassClaims, breakGlass: false }]) {
      const forged = `${header}.${encode(changed)}.${signature}`;
      const error = await verifyApprovalToken(forged, keys, binding, { clock: during }).catch(
        (err: unknown) => err,
      );
      expect(isClearanceError(error) && error.code).toBe('ERR_TOKEN_INVALID');
    }
  });
});
