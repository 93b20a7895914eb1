import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  apiTokenDigest,
  hashApiToken,
  hashPassword,
  isPasswordHash,
  safeEqualBytes,
  safeEqualHex,
  unmatchablePasswordHash,
  verifyPasswordHash,
} from './secrets.js';

describe('API token hashes', () => {
  it('are the SHA-256 hex of the token', () => {
    expect(hashApiToken('demo-alice')).toBe(
      createHash('sha256').update('demo-alice').digest('hex'),
    );
  });

  it('compare equal only when equal, whatever the case or length', () => {
    const a = hashApiToken('x');
    expect(safeEqualHex(a, a.toUpperCase())).toBe(true);
    expect(safeEqualHex(a, hashApiToken('y'))).toBe(false);
    expect(safeEqualHex(a, a.slice(1))).toBe(false);
  });

  it('compare as bytes equal only when equal, whatever the length', () => {
    const a = apiTokenDigest('x');
    expect(a.toString('hex')).toBe(hashApiToken('x'));
    expect(safeEqualBytes(a, Buffer.from(hashApiToken('x'), 'hex'))).toBe(true);
    expect(safeEqualBytes(a, apiTokenDigest('y'))).toBe(false);
    expect(safeEqualBytes(a, a.subarray(1))).toBe(false);
  });
});

describe('console password hashes', () => {
  it('round-trip with a random salt in the scrypt$N$r$p$salt$hash format', async () => {
    const one = await hashPassword('correct horse');
    const two = await hashPassword('correct horse');
    expect(one).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    expect(one).not.toBe(two);
    expect(isPasswordHash(one)).toBe(true);
    expect(await verifyPasswordHash(one, 'correct horse')).toBe(true);
    expect(await verifyPasswordHash(one, 'correct horse ')).toBe(false);
  });

  it('never match a malformed or unreasonable hash', async () => {
    const good = await hashPassword('pw');
    expect(await verifyPasswordHash(good.replace('$32768$', '$30000$'), 'pw')).toBe(false);
    expect(await verifyPasswordHash(good.replace('$32768$', '$2097152$'), 'pw')).toBe(false);
    expect(await verifyPasswordHash('plain-text', 'plain-text')).toBe(false);
    expect(isPasswordHash(unmatchablePasswordHash)).toBe(true);
    expect(await verifyPasswordHash(unmatchablePasswordHash, '')).toBe(false);
  });
});
