import {
  calculateJwkThumbprint,
  exportJWK,
  generateKeyPair,
  importJWK,
  importPKCS8,
  type CryptoKey,
  type JWK,
} from 'jose';
import { z } from 'zod';
import { APPROVAL_TOKEN_ALG, ClearanceError } from '@clearance/client';

const b64url = z.string().regex(/^[A-Za-z0-9_-]{43}$/);

/** A private Ed25519 key as a JWK (extra members such as kid or alg are tolerated). */
const privateJwkSchema = z.looseObject({
  kty: z.literal('OKP'),
  crv: z.literal('Ed25519'),
  x: b64url,
  d: b64url,
});

/** A signing key as kept in the data directory. */
export const keyRecordSchema = z
  .object({
    kid: z.string().min(1),
    createdAt: z.iso.datetime(),
    /** When it stopped signing; its public half stays published until `publishUntil`. */
    retiredAt: z.iso.datetime().optional(),
    publishUntil: z.iso.datetime().optional(),
    privateJwk: privateJwkSchema,
  })
  .strict();
export type KeyRecord = z.infer<typeof keyRecordSchema>;

/** A key ready to sign with. */
export interface SigningKey {
  record: KeyRecord;
  privateKey: CryptoKey;
  /** Public JWK as published in the JWKS. */
  publicJwk: JWK;
}

function publicJwkOf(kid: string, jwk: { kty: string; crv: string; x: string }): JWK {
  return { kty: jwk.kty, crv: jwk.crv, x: jwk.x, kid, alg: APPROVAL_TOKEN_ALG, use: 'sig' };
}

function thumbprint(jwk: { kty: string; crv: string; x: string }): Promise<string> {
  return calculateJwkThumbprint({ kty: jwk.kty, crv: jwk.crv, x: jwk.x }, 'sha256');
}

/** Turns a stored record into a usable key; the kid must be the JWK thumbprint. */
export async function importKeyRecord(record: KeyRecord, source: string): Promise<SigningKey> {
  const { privateJwk } = record;
  if ((await thumbprint(privateJwk)) !== record.kid) {
    throw new ClearanceError('ERR_CONFIG', `${source}: the key id does not match the key`);
  }
  const core = { kty: privateJwk.kty, crv: privateJwk.crv, x: privateJwk.x, d: privateJwk.d };
  const privateKey = (await importJWK(core, APPROVAL_TOKEN_ALG)) as CryptoKey;
  return { record, privateKey, publicJwk: publicJwkOf(record.kid, privateJwk) };
}

/** A fresh Ed25519 signing key. */
export async function generateSigningKey(now: Date): Promise<SigningKey> {
  const { privateKey } = await generateKeyPair(APPROVAL_TOKEN_ALG, {
    crv: 'Ed25519',
    extractable: true,
  });
  const jwk = privateJwkSchema.parse(await exportJWK(privateKey));
  const kid = await thumbprint(jwk);
  return importKeyRecord({ kid, createdAt: now.toISOString(), privateJwk: jwk }, 'generated key');
}

/** Reads a supplied private key: a JWK (JSON) or a PKCS#8 PEM Ed25519 key. */
export async function parseSuppliedKey(
  text: string,
  source: string,
  now: Date,
): Promise<SigningKey> {
  let jwk: unknown;
  try {
    if (text.trimStart().startsWith('-----BEGIN')) {
      jwk = await exportJWK(await importPKCS8(text, APPROVAL_TOKEN_ALG, { extractable: true }));
    } else {
      jwk = JSON.parse(text);
    }
  } catch {
    throw new ClearanceError(
      'ERR_CONFIG',
      `${source}: expected an Ed25519 private key as JWK or PKCS#8 PEM`,
    );
  }
  const parsed = privateJwkSchema.safeParse(jwk);
  if (!parsed.success) {
    throw new ClearanceError(
      'ERR_CONFIG',
      `${source}: expected an Ed25519 private JWK (kty OKP, crv Ed25519, x, d)`,
    );
  }
  const kid = await thumbprint(parsed.data);
  return importKeyRecord({ kid, createdAt: now.toISOString(), privateJwk: parsed.data }, source);
}
