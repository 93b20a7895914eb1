import { randomUUID } from 'node:crypto';
import {
  calculateJwkThumbprint,
  CompactSign,
  exportJWK,
  generateKeyPair,
  type CryptoKey,
  type JSONWebKeySet,
  type JWK,
  type JWSHeaderParameters,
} from 'jose';
import {
  APPROVAL_TOKEN_ALG,
  APPROVAL_TOKEN_AUDIENCE,
  APPROVAL_TOKEN_ISSUER,
  APPROVAL_TOKEN_TYP,
  parseStackName,
  type ApprovalBinding,
} from '../token-claims.js';
import type { TimeWindow } from '../window.js';

/** A signing key as the service makes one: its key id is its RFC 7638 thumbprint. */
export interface TestKey {
  privateKey: CryptoKey;
  /** Public JWK, with kid, alg and use, as the service's JWKS serves it. */
  jwk: JWK;
  kid: string;
}

/** A fresh Ed25519 key; `kid` replaces the thumbprint as its key id. */
export async function testKey(kid?: string): Promise<TestKey> {
  const { privateKey, publicKey } = await generateKeyPair(APPROVAL_TOKEN_ALG, {
    crv: 'Ed25519',
    extractable: true,
  });
  const jwk = await exportJWK(publicKey);
  const id = kid ?? (await calculateJwkThumbprint(jwk));
  return { privateKey, jwk: { ...jwk, kid: id, alg: APPROVAL_TOKEN_ALG, use: 'sig' }, kid: id };
}

export interface TokenOptions {
  /** Issued and valid from here (seconds since the epoch). */
  iat: number;
  /** How long it lives; default one hour. */
  seconds?: number | undefined;
  /** The request id; default `req_1`. */
  rid?: string | undefined;
  /** Default alice and bob. */
  approvers?: readonly string[] | undefined;
  window?: TimeWindow | undefined;
  /** Default a fresh `tok_…`, as the service gives each token. */
  jti?: string | undefined;
  /** Claims put on top of all the others. */
  claims?: Record<string, unknown> | undefined;
}

/** The claims of a token the service issues for `binding` (org and project from its stack). */
export function approvalClaims(
  binding: ApprovalBinding,
  options: TokenOptions,
): Record<string, unknown> {
  const { org, project } = parseStackName(binding.stack);
  return {
    ...binding,
    org,
    project,
    rid: options.rid ?? 'req_1',
    approvers: [...(options.approvers ?? ['alice', 'bob'])],
    window: options.window,
    iss: APPROVAL_TOKEN_ISSUER,
    aud: APPROVAL_TOKEN_AUDIENCE,
    jti: options.jti ?? `tok_${randomUUID()}`,
    iat: options.iat,
    nbf: options.iat,
    exp: options.iat + (options.seconds ?? 3600),
    ...options.claims,
  };
}

/** Signs any payload under any header with any key (EdDSA unless the header says otherwise). */
export function signRaw(
  payload: unknown,
  header: Partial<JWSHeaderParameters>,
  key: CryptoKey | Uint8Array,
): Promise<string> {
  return new CompactSign(new TextEncoder().encode(JSON.stringify(payload)))
    .setProtectedHeader({ alg: APPROVAL_TOKEN_ALG, ...header })
    .sign(key);
}

/** A token for `binding` as the service issues one, signed with `key` under its kid. */
export function approvalToken(
  key: Pick<TestKey, 'privateKey' | 'kid'>,
  binding: ApprovalBinding,
  options: TokenOptions & { typ?: string | undefined },
): Promise<string> {
  return signRaw(
    approvalClaims(binding, options),
    { typ: options.typ ?? APPROVAL_TOKEN_TYP, kid: key.kid },
    key.privateKey,
  );
}

/** One key that signs tokens as the service does, and the key set the service would serve. */
export interface TestSigner {
  key: TestKey;
  jwks: JSONWebKeySet;
  issue(binding: ApprovalBinding, options: TokenOptions): Promise<string>;
}

export async function testSigner(key?: TestKey): Promise<TestSigner> {
  const own = key ?? (await testKey());
  return {
    key: own,
    jwks: { keys: [own.jwk] },
    issue: (binding, options) => approvalToken(own, binding, options),
  };
}
