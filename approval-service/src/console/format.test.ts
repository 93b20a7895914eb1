import { describe, expect, it } from 'vitest';
import { defaultDuration, durationChoices, formatTime, relativeTime } from './format.js';

describe('format', () => {
  it('shows times in UTC to the minute', () => {
    expect(formatTime('2026-01-05T09:07:59.999Z')).toBe('2026-01-05 09:07 UTC');
    expect(formatTime('not a time')).toBe('not a time');
  });

  it('shows times relative to now', () => {
    const now = new Date('2026-01-05T09:00:00Z');
    expect(relativeTime('2026-01-06T08:59:00Z', now)).toBe('in 23 h 59 min');
    expect(relativeTime('2026-01-05T08:55:00Z', now)).toBe('5 min ago');
    expect(relativeTime('2026-01-05T09:00:00.400Z', now)).toBe('in 0 s');
  });

  it('offers durations up to the rule maximum, and the one asked for', () => {
    expect(durationChoices(3600)).toEqual([900, 1800, 3600]);
    expect(durationChoices(3600, 1200)).toEqual([900, 1200, 1800, 3600]);
    expect(durationChoices(3600, 7200)).toEqual([900, 1800, 3600]);
    expect(defaultDuration(3600, 1200)).toBe(1200);
    expect(defaultDuration(3600, 7200)).toBe(3600);
    expect(defaultDuration(3600)).toBe(3600);
  });
});
