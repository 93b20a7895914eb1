import { describe, expect, it } from 'vitest';
import { RequestIndex, deepFreeze, requestKeyOf } from './request-index.js';
import { makeStoredRequest as req } from './store-fixtures.case.js';

describe('requestKeyOf', () => {
  it('tells apart keys whose fields only split the same text differently', () => {
    const key = { stack: 'a/b/c', urn: 'urn:pulumi:x', policy: 'p', fingerprint: 'f'.repeat(64) };
    const keys = [
      key,
      { ...key, stack: 'a/b/cu', urn: 'rn:pulumi:x' },
      { ...key, urn: 'urn:pulumi:xp', policy: '' },
      { ...key, policy: 'pf', fingerprint: 'f'.repeat(63) },
      { ...key, stack: 'a/b/c1:', urn: 'urn:pulumi:x' },
    ];
    expect(new Set(keys.map(requestKeyOf)).size).toBe(keys.length);
    expect(requestKeyOf({ ...key })).toBe(requestKeyOf(key));
  });
});

describe('RequestIndex', () => {
  it('freezes what it holds, deeply', () => {
    const index = RequestIndex.from([req()]);
    const held = index.get('req-1');
    expect(Object.isFrozen(held)).toBe(true);
    expect(Object.isFrozen(held?.requirements.approverGroups)).toBe(true);
    expect(Object.isFrozen(held?.material?.ingress)).toBe(true);
  });

  it('answers many keys in their order', () => {
    const index = RequestIndex.from([req({ id: 'a' }), req({ id: 'b', urn: 'urn:b' })]);
    expect(
      index
        .findLatestMany([req({ urn: 'urn:b' }), req({ urn: 'urn:none' }), req()])
        .map((r) => r?.id),
    ).toEqual(['b', undefined, 'a']);
  });

  it('tells apart the keys that share a fingerprint, and follows a request moved to another key', () => {
    const at = (minute: number) => `2026-01-01T00:0${minute}:00.000Z`;
    const index = RequestIndex.from([
      req({ id: 'a', createdAt: at(1) }),
      req({ id: 'b', stack: 'acme/shop/staging', createdAt: at(2) }),
      req({ id: 'c', policy: 'other-policy', createdAt: at(3) }),
      req({ id: 'd', createdAt: at(0) }),
    ]);
    const keys = [req(), req({ stack: 'acme/shop/staging' }), req({ policy: 'other-policy' })];
    expect(index.findLatestMany(keys).map((r) => r?.id)).toEqual(['a', 'b', 'c']);
    // a moves to the staging key, where it is older than b: d is now the latest of the first key.
    index.put(req({ id: 'a', stack: 'acme/shop/staging', createdAt: at(1) }));
    expect(index.findLatestMany(keys).map((r) => r?.id)).toEqual(['d', 'b', 'c']);
    index.put(req({ id: 'd', policy: 'third-policy', createdAt: at(0) }));
    expect(index.findLatest(req())).toBeUndefined();
  });
});

describe('deepFreeze', () => {
  it('freezes nested objects and arrays and returns its argument', () => {
    const value = { a: [{ b: 1 }], c: { d: 'x' } };
    expect(deepFreeze(value)).toBe(value);
    expect([value, value.a, value.a[0], value.c].every((v) => Object.isFrozen(v))).toBe(true);
  });
});
