import { createHash, randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { passwordHashPattern } from '../config/config-schema.js';

/** Scrypt cost used for new console password hashes. */
const defaultCost = { N: 32768, r: 8, p: 1 } as const;
const keyLength = 32;

/** What goes into the config for an API token: the SHA-256 (hex) of the token. */
export function hashApiToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** `hashApiToken` as the digest's bytes. */
export function apiTokenDigest(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

/** Compares two byte strings in constant time; different lengths are simply unequal. */
export function safeEqualBytes(a: Buffer, b: Buffer): boolean {
  if (a.length !== b.length) {
    timingSafeEqual(a, a);
    return false;
  }
  return timingSafeEqual(a, b);
}

/** Compares two hex digests in constant time; different lengths are simply unequal. */
export function safeEqualHex(a: string, b: string): boolean {
  const left = Buffer.from(a.toLowerCase(), 'utf8');
  const right = Buffer.from(b.toLowerCase(), 'utf8');
  if (left.length !== right.length) {
    timingSafeEqual(left, left);
    return false;
  }
  return timingSafeEqual(left, right);
}

function scryptAsync(password: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password, salt, keyLength, options, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

function memoryFor(N: number, r: number): number {
  return 128 * N * r * 2;
}

interface ParsedHash {
  N: number;
  r: number;
  p: number;
  salt: Buffer;
  hash: Buffer;
}

function parsePasswordHash(text: string): ParsedHash | undefined {
  const m = passwordHashPattern.exec(text);
  if (!m) return undefined;
  const [N, r, p] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const powerOfTwo = N > 1 && (N & (N - 1)) === 0;
  if (!powerOfTwo || N > 2 ** 20 || r < 1 || r > 32 || p < 1 || p > 16) return undefined;
  const hash = Buffer.from(m[5] ?? '', 'base64url');
  if (hash.length !== keyLength) return undefined;
  return { N, r, p, salt: Buffer.from(m[4] ?? '', 'base64url'), hash };
}

/** Whether `text` is a console password hash this service can check. */
export function isPasswordHash(text: string): boolean {
  return parsePasswordHash(text) !== undefined;
}

/** Hashes a console password with scrypt and a random salt, in the format the config expects. */
export async function hashPassword(password: string): Promise<string> {
  const { N, r, p } = defaultCost;
  const salt = randomBytes(16);
  const hash = await scryptAsync(password, salt, { N, r, p, maxmem: memoryFor(N, r) });
  return `scrypt$${N}$${r}$${p}$${salt.toString('base64url')}$${hash.toString('base64url')}`;
}

/** Checks a password against a stored scrypt hash in constant time; a malformed hash never matches. */
export async function verifyPasswordHash(stored: string, password: string): Promise<boolean> {
  const parsed = parsePasswordHash(stored);
  if (!parsed) return false;
  const { N, r, p, salt, hash } = parsed;
  const candidate = await scryptAsync(password, salt, { N, r, p, maxmem: memoryFor(N, r) });
  return timingSafeEqual(candidate, hash);
}

/**
 * A well-formed hash no password matches in practice: checked for unknown users so that an
 * unknown user and a wrong password take the same time.
 */
export const unmatchablePasswordHash = `scrypt$${defaultCost.N}$${defaultCost.r}$${defaultCost.p}$${Buffer.alloc(16, 1).toString('base64url')}$${Buffer.alloc(keyLength).toString('base64url')}`;
