import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UNKNOWN } from '../../sensitive-rule.js';
import { parsePropertyPath, readPath } from './property-path.js';

describe('parsePropertyPath', () => {
  it.each([
    ['a', ['a']],
    ['a.b[0].c', ['a', 'b', 0, 'c']],
    ['[2]', [2]],
    ['tags["team.name"]', ['tags', 'team.name']],
    ["tags['a[0]'].x", ['tags', 'a[0]', 'x']],
    ['a[10][2]', ['a', 10, 2]],
  ])('%s', (path, segments) => {
    expect(parsePropertyPath(path)).toEqual(segments);
  });

  it.each([
    ['', 'expected a property name at position 0'],
    ['a.', 'expected a property name at position 2'],
    ['.a', 'expected a property name at position 0'],
    ['a]', "unexpected ']' at position 1"],
    ['a[1', "expected ']' at position 3"],
    ['a[-1]', 'expected an index or a quoted name inside [] at position 2'],
    ['a["x]', 'unterminated quoted name at position 2'],
  ])('rejects %j', (path, message) => {
    expect(() => parsePropertyPath(path)).toThrow(message);
  });

  it('property: dotted names round-trip', () => {
    const name = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_-]{0,8}$/);
    fc.assert(
      fc.property(
        fc.array(fc.oneof(name, fc.nat({ max: 99 })), { minLength: 1, maxLength: 6 }),
        (segments) => {
          const [first, ...rest] = segments;
          const text =
            (typeof first === 'number' ? `[${first}]` : first) +
            rest.map((s) => (typeof s === 'number' ? `[${s}]` : `.${s}`)).join('');
          expect(parsePropertyPath(text)).toEqual(segments);
        },
      ),
    );
  });
});

describe('readPath', () => {
  const value = { a: { b: [{ c: 1 }, UNKNOWN] } };
  it('reads own members and indexes; missing is undefined, unknown propagates', () => {
    expect(readPath(value, ['a', 'b', 0, 'c'])).toBe(1);
    expect(readPath(value, ['a', 'x', 0])).toBeUndefined();
    expect(readPath(value, ['a', 'b', 1, 'c'])).toBe(UNKNOWN);
    expect(readPath(value, ['a', 'toString'])).toBeUndefined();
  });
});
