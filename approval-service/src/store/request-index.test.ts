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
});

describe('deepFreeze', () => {
  it('freezes nested objects and arrays and returns its argument', () => {
    const value = { a: [{ b: 1 }], c: { d: 'x' } };
    expect(deepFreeze(value)).toBe(value);
    expect([value, value.a, value.a[0], value.c].every((v) => Object.isFrozen(v))).toBe(true);
  });
});
