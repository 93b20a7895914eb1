import { SecretValue } from '@clearance/client';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UNKNOWN } from '../../sensitive-rule.js';
import { asList, looksSecret, sortedStrings, stableSet, wrapSecretLooking } from './values.js';

describe('values', () => {
  it('asList', () => {
    expect(asList(undefined)).toEqual([]);
    expect(asList('a')).toEqual(['a']);
    expect(asList(['a'])).toEqual(['a']);
    expect(asList(UNKNOWN)).toBe(UNKNOWN);
  });

  it('sortedStrings keeps unknown entries', () => {
    expect(sortedStrings(['b', 'a', 'b'])).toEqual(['a', 'b']);
    expect(sortedStrings(['b', UNKNOWN])).toEqual(['b', UNKNOWN]);
  });

  it('property: stableSet ignores order and duplicates', () => {
    const item = fc.record({
      cidr: fc.constantFrom('0.0.0.0/0', '::/0'),
      port: fc.integer({ min: 0, max: 3 }),
    });
    fc.assert(
      fc.property(fc.array(item), fc.func(fc.integer()), (items, shuffle) => {
        const shuffled = [...items, ...items].sort((a, b) => shuffle(a) - shuffle(b));
        expect(stableSet(shuffled)).toEqual(stableSet(items));
      }),
    );
  });

  it('secret-looking names', () => {
    for (const k of [
      'password',
      'masterPassword',
      'clientSecret',
      'authToken',
      'privateKey',
      'sts:ExternalId',
      'apiKey',
    ]) {
      expect(looksSecret(k), k).toBe(true);
    }
    for (const k of [
      'username',
      'engine',
      'port',
      'keyName',
      'description',
      'compass',
      'iam:PassRole',
    ])
      expect(looksSecret(k), k).toBe(false);
  });

  it('wrapSecretLooking wraps known values under secret-looking keys, deeply', () => {
    const out = wrapSecretLooking({ a: { password: 'x', user: 'u' }, token: UNKNOWN }) as {
      a: { password: unknown; user: unknown };
      token: unknown;
    };
    expect(out.a.password).toBeInstanceOf(SecretValue);
    expect(out.a.user).toBe('u');
    expect(out.token).toBe(UNKNOWN);
  });
});
