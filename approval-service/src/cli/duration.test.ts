import { describe, expect, it } from 'vitest';
import { parseDuration } from './duration.js';

describe('parseDuration', () => {
  it('reads units and combinations', () => {
    expect(parseDuration('250ms')).toBe(250);
    expect(parseDuration('90s')).toBe(90_000);
    expect(parseDuration('30m')).toBe(1_800_000);
    expect(parseDuration('1h30m')).toBe(5_400_000);
    expect(parseDuration('2d')).toBe(172_800_000);
  });

  it('counts a bare number as seconds', () => {
    expect(parseDuration('45')).toBe(45_000);
  });

  it('refuses zero, negatives, decimals and unknown units', () => {
    for (const text of ['0', '0s', '-5s', '1.5h', '10x', 'soon', '', 'h']) {
      expect(parseDuration(text), text).toBeUndefined();
    }
  });
});
