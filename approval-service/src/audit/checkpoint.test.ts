import { createPublicKey, verify } from 'node:crypto';
import { createLocalJWKSet, generateKeyPair, CompactSign } from 'jose';
import { describe, expect, it } from 'vitest';
import { isClearanceError, ManualClock } from '@clearance/client';
import { KeyringSigner } from '../tokens/approval-signer.js';
import { importKeyRecord } from '../tokens/signing-key.js';
import {
  CHECKPOINT_TYP,
  checkpointDigest,
  nextCheckpoint,
  signCheckpoint,
  verifyCheckpoint,
} from './checkpoint.js';

/** A fixed Ed25519 key, for the golden vectors only. */
const goldenKey = {
  kty: 'OKP',
  crv: 'Ed25519',
  x: 'n22VQ8yyC2K1I9EJa0ZjJOkUVayodWUOmaayQaq7Jdg',
  d: 'o3Wp_OJG9uUSCPvECtZbAsFbt_AqbceypDYCpdKJcI8',
} as const;
const goldenKid = 'UevWe_7VlnUdvEUCxNSHt8zq7P-AUgeuw-DozoaCWWA';
const publicJwk = { kty: 'OKP', crv: 'Ed25519', x: goldenKey.x, kid: goldenKid };

/** The checkpoint of seq 42 (hash ab…ab) at 2026-01-05T09:00:00Z, every 100, the first one. */
const firstVector =
  'eyJhbGciOiJFZERTQSIsInR5cCI6ImNsZWFyYW5jZS1hdWRpdC1jaGVja3BvaW50K2p3cyIsImtpZCI6IlVldldlXzdWbG5VZHZFVUN4TlNIdDh6cTdQLUFVZ2V1dy1Eb3pvYUNXV0EifQ' +
  '.eyJldmVyeSI6MTAwLCJoYXNoIjoiYWJhYmFiYWJhYmFiYWJhYmFiYWJhYmFiYWJhYmFiYWJhYmFiYWJhYmFiYWJhYmFiYWJhYmFiYWJhYmFiYWJhYiIsInByZXYiOiIwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwIiwic2VxIjo0MiwidGltZSI6IjIwMjYtMDEtMDVUMDk6MDA6MDAuMDAwWiIsInYiOjF9' +
  '.RUA8U6EWApr7x6bACX8sF1ZWoCXcujcxqd8xwzysZSmti8rEj-yO1PU40dTbr0Vny93tGn9kcQ_gTIKcTWugCg';
/** The next one: seq 142 (hash cd…cd) an hour later, chained to the first. */
const secondVector =
  'eyJhbGciOiJFZERTQSIsInR5cCI6ImNsZWFyYW5jZS1hdWRpdC1jaGVja3BvaW50K2p3cyIsImtpZCI6IlVldldlXzdWbG5VZHZFVUN4TlNIdDh6cTdQLUFVZ2V1dy1Eb3pvYUNXV0EifQ' +
  '.eyJldmVyeSI6MTAwLCJoYXNoIjoiY2RjZGNkY2RjZGNkY2RjZGNkY2RjZGNkY2RjZGNkY2RjZGNkY2RjZGNkY2RjZGNkY2RjZGNkY2RjZGNkY2RjZCIsInByZXYiOiIyNzFhMGY0NDUyMmQ0NDI4ODI4MTYxNGRkZTgyZjVmMGY2M2EyNGRkYTlhZjRkZTA4MDVkNmQxZmZmNTUyZDE5Iiwic2VxIjoxNDIsInRpbWUiOiIyMDI2LTAxLTA1VDEwOjAwOjAwLjAwMFoiLCJ2IjoxfQ' +
  '.gYSlkOLle_7bFiu0rcIYu7HvLUW7FHxr_iIhlYAaSzgBTik4IGeaKr--mwcHCguLtcgIN1wZxQE0qTsk-OAYDw';

async function goldenSigner(): Promise<KeyringSigner> {
  const record = { kid: goldenKid, createdAt: '2026-01-05T09:00:00.000Z', privateJwk: goldenKey };
  const key = await importKeyRecord(record, 'golden key');
  return new KeyringSigner(key, [], { clock: new ManualClock(), maxTokenLifetimeSeconds: 60 });
}

const part = (jws: string, i: number) =>
  Buffer.from(jws.split('.')[i] ?? '', 'base64url').toString('utf8');

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'valid';
  } catch (err) {
    return isClearanceError(err) ? `${err.code}: ${err.message}` : String(err);
  }
}

describe('checkpoint format (golden vectors)', () => {
  it('signs exactly the pinned bytes: header, canonical payload, deterministic Ed25519', async () => {
    const signer = await goldenSigner();
    const first = await signCheckpoint(
      nextCheckpoint(
        { seq: 42, hash: 'ab'.repeat(32) },
        undefined,
        new Date('2026-01-05T09:00:00Z'),
        100,
      ),
      signer,
    );
    expect(first.jws).toBe(firstVector);
    expect(part(firstVector, 0)).toBe(
      `{"alg":"EdDSA","typ":"clearance-audit-checkpoint+jws","kid":"${goldenKid}"}`,
    );
    expect(part(firstVector, 1)).toBe(
      `{"every":100,"hash":"${'ab'.repeat(32)}","prev":"${'0'.repeat(64)}","seq":42,"time":"2026-01-05T09:00:00.000Z","v":1}`,
    );
    const second = await signCheckpoint(
      nextCheckpoint(
        { seq: 142, hash: 'cd'.repeat(32) },
        first.jws,
        new Date('2026-01-05T10:00:00Z'),
        100,
      ),
      signer,
    );
    expect(checkpointDigest(firstVector)).toBe(
      '271a0f44522d44288281614dde82f5f0f63a24dda9af4de0805d6d1fff552d19',
    );
    expect(second).toMatchObject({ prev: checkpointDigest(firstVector), kid: goldenKid });
    expect(second.jws).toBe(secondVector);
  });

  it('verifies the vectors with the public key alone, by jose and by node:crypto', async () => {
    const keys = createLocalJWKSet({ keys: [publicJwk] });
    expect(await verifyCheckpoint(secondVector, keys)).toEqual({
      v: 1,
      seq: 142,
      hash: 'cd'.repeat(32),
      time: '2026-01-05T10:00:00.000Z',
      every: 100,
      prev: checkpointDigest(firstVector),
      kid: goldenKid,
      jws: secondVector,
    });
    const [header, payload, signature] = firstVector.split('.') as [string, string, string];
    const key = createPublicKey({ key: publicJwk, format: 'jwk' });
    const signed = Buffer.from(`${header}.${payload}`);
    expect(verify(null, signed, key, Buffer.from(signature, 'base64url'))).toBe(true);
  });
});

describe('verifyCheckpoint', () => {
  const keys = createLocalJWKSet({ keys: [publicJwk] });

  it('refuses a payload changed after signing, and a foreign or unknown key', async () => {
    const [header, , signature] = firstVector.split('.');
    const forged = Buffer.from(part(firstVector, 1).replace('"seq":42', '"seq":43')).toString(
      'base64url',
    );
    expect(await codeOf(verifyCheckpoint(`${header}.${forged}.${signature}`, keys))).toBe(
      `ERR_AUDIT_CHECKPOINT_INVALID: the signature does not verify (kid ${goldenKid})`,
    );
    const { privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
    const foreign = await new CompactSign(Buffer.from(part(firstVector, 1)))
      .setProtectedHeader({ alg: 'EdDSA', typ: CHECKPOINT_TYP, kid: goldenKid })
      .sign(privateKey);
    expect(await codeOf(verifyCheckpoint(foreign, keys))).toMatch(/the signature does not verify/);
    const unknown = await new CompactSign(Buffer.from(part(firstVector, 1)))
      .setProtectedHeader({ alg: 'EdDSA', typ: CHECKPOINT_TYP, kid: 'someone-else' })
      .sign(privateKey);
    expect(await codeOf(verifyCheckpoint(unknown, keys))).toBe(
      'ERR_AUDIT_CHECKPOINT_INVALID: signed by a key that is not trusted (kid someone-else)',
    );
  });

  it('refuses another typ and a payload that is not a canonical checkpoint', async () => {
    const signer = await goldenSigner();
    const sign = (typ: string, text: string) => signer.signJws(typ, new TextEncoder().encode(text));
    const payload = part(firstVector, 1);
    expect(await codeOf(verifyCheckpoint(await sign('JWT', payload), keys))).toMatch(/typ differs/);
    const spaced = JSON.stringify(JSON.parse(payload), null, 1);
    expect(await codeOf(verifyCheckpoint(await sign(CHECKPOINT_TYP, spaced), keys))).toMatch(
      /not a checkpoint in canonical JSON/,
    );
    const extra = payload.replace('"v":1', '"v":1,"w":2');
    expect(await codeOf(verifyCheckpoint(await sign(CHECKPOINT_TYP, extra), keys))).toMatch(
      /not a checkpoint/,
    );
    expect(await codeOf(verifyCheckpoint('not.a.jws', keys))).toMatch(/not a signed checkpoint/);
  });
});
