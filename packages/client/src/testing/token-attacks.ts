import type { ErrorCode } from '../errors.js';
import { APPROVAL_TOKEN_TYP, type ApprovalBinding } from '../token-claims.js';
import { approvalClaims, approvalToken, signRaw, type TestKey } from './test-signer.js';

/**
 * Forged approval tokens, one per attack, and the code each must be refused with. Shared by the
 * verification's own table (token-attacks.test.ts) and the pack's gate, so both face the same.
 */

/** What the attacks are forged against. */
export interface AttackScene {
  /** The service's key: served, and the one pinned when pins apply. */
  real: TestKey;
  /** The attacker's key. */
  foreign: TestKey;
  /** The binding the verifier expects (org and project are the stack's first two parts). */
  binding: ApprovalBinding;
  /** The token's request id. */
  rid: string;
}

/** Issued at 09:00 UTC on Monday 5 January 2026; valid from then for one hour. */
export const issuedAt = Date.parse('2026-01-05T09:00:00Z') / 1000;
export const expiresAt = issuedAt + 3600;
/** When attacks are checked unless they say otherwise: inside the token's lifetime. */
export const checkedAt = new Date((issuedAt + 1800) * 1000);

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

const tokenOf = (scene: AttackScene, over: Record<string, unknown>) => ({
  iat: issuedAt,
  seconds: expiresAt - issuedAt,
  rid: scene.rid,
  jti: 'tok_attack',
  claims: over,
});

/** The claims a genuine token of the scene carries, with `over` on top. */
export function claimsOf(scene: AttackScene, over: Record<string, unknown> = {}) {
  return approvalClaims(scene.binding, tokenOf(scene, over));
}

/** A token as the service issues it: real key, pinned typ, its kid; `over` changes claims. */
export function genuine(scene: AttackScene, over: Record<string, unknown> = {}): Promise<string> {
  return approvalToken(scene.real, scene.binding, tokenOf(scene, over));
}

export interface Attack {
  name: string;
  forge(scene: AttackScene): Promise<string>;
  /** The code, and the details it must carry, when the verifier trusts the served keys. */
  code: ErrorCode;
  details?: Record<string, unknown>;
  /** When keys are pinned (the real key), where that changes the answer. */
  pinned?: { code: ErrorCode; details?: Record<string, unknown> };
  /** Only meaningful with pins: without them, a served key is trusted by design. */
  pinnedOnly?: boolean;
  /** Checked at this time instead of `checkedAt`. */
  at?: Date;
  /** The token is genuine but its request is no longer active at the service. */
  revoked?: boolean;
  /** The token is genuine but bound to another value of this binding field. */
  otherBinding?: keyof ApprovalBinding;
}

const otherValue: Record<keyof ApprovalBinding, (v: string) => string> = {
  stack: (v) => `${v}-staging`,
  urn: (v) => `${v}-2`,
  policy: () => 'aws-s3-public-access',
  fingerprint: (v) => (v.startsWith('0') ? '1' : '0') + v.slice(1),
};

function forOther(field: keyof ApprovalBinding): Attack {
  return {
    name: `a token for another ${field}`,
    forge: (scene) => genuine(scene, { [field]: otherValue[field](scene.binding[field]) }),
    code: 'ERR_TOKEN_MISMATCH',
    details: { claim: field },
    otherBinding: field,
  };
}

export const attacks: readonly Attack[] = [
  {
    name: 'alg: none',
    forge: async (scene) => {
      const header = { alg: 'none', typ: APPROVAL_TOKEN_TYP, kid: scene.real.kid };
      return `${b64url(header)}.${b64url(claimsOf(scene))}.`;
    },
    code: 'ERR_TOKEN_ALG_NOT_ALLOWED',
    details: { alg: 'none' },
  },
  {
    name: 'HS256 signed with the public key',
    forge: (scene) =>
      signRaw(
        claimsOf(scene),
        { alg: 'HS256', typ: APPROVAL_TOKEN_TYP, kid: scene.real.kid },
        Buffer.from(scene.real.jwk.x ?? '', 'base64url'),
      ),
    code: 'ERR_TOKEN_ALG_NOT_ALLOWED',
    details: { alg: 'HS256' },
  },
  {
    name: 'a foreign key under the real kid',
    forge: (scene) =>
      signRaw(
        claimsOf(scene),
        { typ: APPROVAL_TOKEN_TYP, kid: scene.real.kid },
        scene.foreign.privateKey,
      ),
    code: 'ERR_TOKEN_INVALID',
    details: { reason: 'signature' },
  },
  {
    name: 'an unknown kid',
    forge: (scene) =>
      signRaw(
        claimsOf(scene),
        { typ: APPROVAL_TOKEN_TYP, kid: 'k-nobody-published' },
        scene.real.privateKey,
      ),
    code: 'ERR_TOKEN_INVALID',
    details: { reason: 'unknown-key' },
    pinned: { code: 'ERR_TOKEN_KEY_NOT_PINNED' },
  },
  {
    name: 'an embedded jwk header',
    forge: (scene) => {
      const { kid: _kid, use: _use, ...jwk } = scene.foreign.jwk;
      return signRaw(
        claimsOf(scene),
        { typ: APPROVAL_TOKEN_TYP, kid: scene.real.kid, jwk },
        scene.foreign.privateKey,
      );
    },
    code: 'ERR_TOKEN_EMBEDDED_KEY',
  },
  {
    name: 'a wrong iss',
    forge: (scene) => genuine(scene, { iss: 'someone-else' }),
    code: 'ERR_TOKEN_INVALID',
    details: { reason: 'claim', claim: 'iss' },
  },
  {
    name: 'a wrong aud',
    forge: (scene) => genuine(scene, { aud: 'another-app' }),
    code: 'ERR_TOKEN_INVALID',
    details: { reason: 'claim', claim: 'aud' },
  },
  {
    name: 'a wrong typ',
    forge: (scene) =>
      signRaw(claimsOf(scene), { typ: 'JWT', kid: scene.real.kid }, scene.real.privateKey),
    code: 'ERR_TOKEN_INVALID',
    details: { reason: 'claim', claim: 'typ' },
  },
  {
    name: 'expired (checked at its exp)',
    forge: (scene) => genuine(scene),
    at: new Date(expiresAt * 1000),
    code: 'ERR_TOKEN_EXPIRED',
  },
  {
    name: 'not yet valid (checked a second before its nbf)',
    forge: (scene) => genuine(scene),
    at: new Date((issuedAt - 1) * 1000),
    code: 'ERR_TOKEN_NOT_YET_VALID',
  },
  forOther('stack'),
  forOther('urn'),
  forOther('policy'),
  forOther('fingerprint'),
  {
    name: 'revoked (its request is no longer active)',
    forge: (scene) => genuine(scene),
    revoked: true,
    code: 'ERR_TOKEN_REVOKED',
  },
  {
    name: 'a tampered payload',
    forge: async (scene) => {
      const [header, , signature] = (await genuine(scene)).split('.');
      const payload = b64url(claimsOf(scene, { approvers: ['mallory'], exp: expiresAt + 86_400 }));
      return `${header}.${payload}.${signature}`;
    },
    code: 'ERR_TOKEN_INVALID',
    details: { reason: 'signature' },
  },
  {
    name: 'an unpinned key the service serves, while pinning is configured',
    forge: (scene) =>
      signRaw(
        claimsOf(scene),
        { typ: APPROVAL_TOKEN_TYP, kid: scene.foreign.kid },
        scene.foreign.privateKey,
      ),
    code: 'ERR_TOKEN_KEY_NOT_PINNED',
    pinnedOnly: true,
  },
];

/** The code and details an attack must be refused with, with or without pinned keys. */
export function expectedRefusal(
  attack: Attack,
  pinned: boolean,
): { code: ErrorCode; details?: Record<string, unknown> } {
  const refusal = pinned && attack.pinned ? attack.pinned : attack;
  return refusal.details
    ? { code: refusal.code, details: refusal.details }
    : { code: refusal.code };
}
