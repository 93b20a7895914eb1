import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  canonicalJson,
  fingerprint,
  redactMaterial,
  SecretValue,
  sha256Hex,
  type FingerprintInput,
} from './fingerprint.js';

/** Canonicalization invariants of the fingerprint, over random JSON material. */

const runs = { numRuns: 200 };

const base: Omit<FingerprintInput, 'material'> = {
  org: 'acme',
  project: 'shop',
  stack: 'prod',
  urn: 'urn:pulumi:prod::shop::aws:ec2/securityGroup:SecurityGroup::web',
  type: 'aws:ec2/securityGroup:SecurityGroup',
  policy: 'aws-security-group-open-ingress',
};

/** Keys of any text, "__proto__" among them (an own member, as JSON.parse makes it). */
const key = fc.oneof(fc.string(), fc.constant('__proto__'));
const json = (maxDepth: number) =>
  fc.jsonValue({ maxDepth }).map((v) => JSON.parse(JSON.stringify(v)) as unknown);

/** JSON material as a resource's inputs give it (depth kept small so a run stays fast). */
const material = json(4);

/** The same value with the members of every object inserted in another order. */
function reordered(value: unknown, seed: number): unknown {
  if (Array.isArray(value)) return value.map((v, i) => reordered(v, seed + i));
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value);
  let state = seed >>> 0 || 1;
  for (let i = entries.length - 1; i > 0; i--) {
    state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0;
    const j = state % (i + 1);
    [entries[i], entries[j]] = [entries[j]!, entries[i]!];
  }
  // defineProperty, so that a "__proto__" member stays an own member as JSON.parse makes it.
  const out = {};
  for (const [k, v] of entries) {
    Object.defineProperty(out, k, {
      value: reordered(v, state + k.length),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}

const digest = (m: unknown) => fingerprint({ ...base, material: m });

describe('fingerprint, canonicalization invariants', () => {
  it('is the same whatever order the members of the material were inserted in', () => {
    fc.assert(
      fc.property(material, fc.integer(), (m, seed) => {
        expect(digest(reordered(m, seed))).toBe(digest(m));
        expect(canonicalJson(reordered(m, seed))).toBe(canonicalJson(m));
      }),
      runs,
    );
  });

  it('changes with any change to the material', () => {
    fc.assert(
      fc.property(material, material, (a, b) => {
        fc.pre(canonicalJson(a) !== canonicalJson(b));
        expect(digest(a)).not.toBe(digest(b));
      }),
      runs,
    );
  });

  it('changes when one leaf of an object material changes, or a member is added', () => {
    const object = fc.dictionary(key, json(2), { minKeys: 1 });
    fc.assert(
      fc.property(object, fc.nat(), json(1), (m, pick, leaf) => {
        const keys = Object.keys(m);
        const k = keys[pick % keys.length]!;
        const changed = Object.fromEntries(
          Object.entries(m).map(([mk, v]) => [mk, mk === k ? leaf : v]),
        );
        fc.pre(canonicalJson(changed[k]) !== canonicalJson(m[k]));
        expect(digest(changed)).not.toBe(digest(m));
        const added = Object.fromEntries([...Object.entries(m), [`${k}+`, leaf]]);
        fc.pre(!(`${k}+` in m));
        expect(digest(added)).not.toBe(digest(m));
      }),
      runs,
    );
  });

  it('changes when any field besides the material changes', () => {
    const field = fc.constantFrom(...(Object.keys(base) as (keyof typeof base)[]));
    fc.assert(
      fc.property(material, field, fc.string({ minLength: 1 }), (m, name, value) => {
        fc.pre(value !== base[name]);
        expect(fingerprint({ ...base, [name]: value, material: m })).not.toBe(digest(m));
      }),
      runs,
    );
  });

  it('writes canonical JSON that parses back to an equal value, and is a fixed point', () => {
    fc.assert(
      fc.property(material, (m) => {
        const text = canonicalJson(m);
        const parsed: unknown = JSON.parse(text);
        expect(parsed).toEqual(m);
        expect(canonicalJson(parsed)).toBe(text);
        expect(text).not.toMatch(/\n/);
      }),
      runs,
    );
  });

  it('writes the members of every object in sorted order (UTF-16 code units)', () => {
    const object = fc.dictionary(key, fc.integer(), { minKeys: 2 });
    fc.assert(
      fc.property(object, (m) => {
        const members = Object.keys(m)
          .sort()
          .map((k) => `${JSON.stringify(k)}:${String(m[k])}`);
        expect(canonicalJson(m)).toBe(`{${members.join(',')}}`);
      }),
      runs,
    );
  });
});

describe('fingerprint, secrets', () => {
  /** A secret no generated material can contain by chance. */
  const secret = fc
    .uint8Array({ minLength: 16, maxLength: 16 })
    .map((b) => `s3cr3t-${Buffer.from(b).toString('hex')}`);
  const objectMaterial = fc.dictionary(key, json(3));
  const secretKey = key.filter((k) => k.length > 0);

  it('lets a secret in only as the hash of its value', () => {
    fc.assert(
      fc.property(objectMaterial, secretKey, secret, (m, k, s) => {
        const withSecret = { ...m, [k]: new SecretValue(s), list: [new SecretValue(s)] };
        const asHash = { $secretSha256: sha256Hex(canonicalJson(s)) };
        const hashed = { ...m, [k]: asHash, list: [asHash] };
        expect(canonicalJson(redactMaterial(withSecret))).not.toContain(s);
        expect(redactMaterial(withSecret)).toEqual(hashed);
        expect(digest(withSecret)).toBe(digest(hashed));
      }),
      runs,
    );
  });

  it('gives the same digest for the same secret, another for another secret', () => {
    fc.assert(
      fc.property(objectMaterial, secretKey, secret, secret, (m, k, s, t) => {
        fc.pre(s !== t);
        const digestWith = (value: string) => digest({ ...m, [k]: new SecretValue(value) });
        expect(digestWith(s)).toBe(digestWith(s));
        expect(digestWith(s)).not.toBe(digestWith(t));
      }),
      runs,
    );
  });
});

describe('a member named __proto__', () => {
  it('counts in the fingerprint like any other member', () => {
    const plain = JSON.parse('{"cidr":"10.0.0.0/8"}') as unknown;
    const sneaky = JSON.parse('{"cidr":"10.0.0.0/8","__proto__":{"cidr":"0.0.0.0/0"}}') as unknown;
    expect(fingerprint({ ...base, material: sneaky })).not.toBe(
      fingerprint({ ...base, material: plain }),
    );
    expect(canonicalJson(redactMaterial(sneaky))).toContain('"__proto__"');
  });
});
