import { describe, expect, it } from 'vitest';
import { assertJsonShape, assertJsonTextDepth } from './json-shape.js';

const nested = (depth: number, inner = '1') => '['.repeat(depth) + inner + ']'.repeat(depth);

describe('assertJsonTextDepth', () => {
  it('counts brackets outside strings only, escaped quotes and backslashes included', () => {
    const brackets = '[[[[[[[[[[';
    for (const text of [
      JSON.stringify({ a: brackets }),
      JSON.stringify({ a: `\\"${brackets}` }),
      JSON.stringify({ a: `x\\`, b: brackets }),
      JSON.stringify([`"${brackets}"`, '\\\\']),
    ]) {
      expect(() => assertJsonTextDepth(text, 3)).not.toThrow();
    }
  });

  it('refuses text nested past the limit, also after strings that end in backslashes', () => {
    expect(() => assertJsonTextDepth(nested(4), 3)).toThrow(/deeper than 3/);
    expect(() => assertJsonTextDepth(nested(4, JSON.stringify('a\\')), 3)).toThrow(/deeper than 3/);
    expect(() => assertJsonTextDepth(`["\\\\", ${nested(3)}]`, 3)).toThrow(/deeper than 3/);
    expect(() => assertJsonTextDepth(nested(3), 3)).not.toThrow();
  });

  it('reads an unterminated string to the end of the text', () => {
    expect(() => assertJsonTextDepth('["[[[[[[', 3)).not.toThrow();
  });
});

describe('assertJsonShape', () => {
  it('names the path of the value past a limit', () => {
    const limits = { maxDepth: 10, maxKeys: 10, maxStringLength: 3, maxArrayLength: 10 };
    expect(() => assertJsonShape({ a: [1, { b: 'long' }] }, limits)).toThrow(
      'a[1].b: the text is longer than 3 characters',
    );
    expect(() => assertJsonShape({ a: [1, 'ok'], c: 'ok' }, limits)).not.toThrow();
  });
});
