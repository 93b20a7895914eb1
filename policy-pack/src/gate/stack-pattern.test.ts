import { describe, expect, it } from 'vitest';
import { isStackPattern, stackMatches } from '@clearance/client';

describe('stack patterns', () => {
  it('matches a single segment with *', () => {
    expect(stackMatches('acme/shop/prod', ['*/*/prod'])).toBe(true);
    expect(stackMatches('acme/shop/dev', ['*/*/prod'])).toBe(false);
    expect(stackMatches('acme/shop/prod', ['acme/*'])).toBe(false);
  });

  it('matches across segments with **', () => {
    expect(stackMatches('acme/shop/prod', ['**'])).toBe(true);
    expect(stackMatches('acme/shop/prod', ['acme/**'])).toBe(true);
    expect(stackMatches('other/shop/prod', ['acme/**'])).toBe(false);
  });

  it('matches one character with ? and takes other characters literally', () => {
    expect(stackMatches('acme/shop/prod1', ['acme/shop/prod?'])).toBe(true);
    expect(stackMatches('acme/shop/prod', ['acme/shop/prod?'])).toBe(false);
    expect(stackMatches('acme/shopX/prod', ['acme/shop.?/prod'])).toBe(false);
    expect(stackMatches('acme/shop./prod', ['acme/shop./prod'])).toBe(true);
  });

  it('matches when any pattern does', () => {
    expect(stackMatches('acme/shop/staging', ['*/*/prod', '*/*/staging'])).toBe(true);
  });

  it('accepts only patterns that can match org/project/stack', () => {
    expect(isStackPattern('*/*/prod')).toBe(true);
    expect(isStackPattern('**')).toBe(true);
    expect(isStackPattern('prod')).toBe(false);
    expect(isStackPattern('acme/prod')).toBe(false);
  });
});
