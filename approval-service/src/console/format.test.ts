import { describe, expect, it } from 'vitest';
import {
  defaultDuration,
  durationChoices,
  formatDuration,
  formatTime,
  relativeTime,
  resourceName,
} from './format.js';

describe('format', () => {
  it('shows times in UTC to the minute', () => {
    expect(formatTime('2026-01-05T09:07:59.999Z')).toBe('2026-01-05 09:07 UTC');
    expect(formatTime('not a time')).toBe('not a time');
  });

  it('shows durations with their two largest units', () => {
    expect(formatDuration(20)).toBe('20 s');
    expect(formatDuration(45 * 60)).toBe('45 min');
    expect(formatDuration(3600)).toBe('1 h');
    expect(formatDuration(5400)).toBe('1 h 30 min');
    expect(formatDuration(2 * 86_400 + 3 * 3600 + 59)).toBe('2 d 3 h');
    expect(formatDuration(86_400 + 60)).toBe('1 d');
  });

  it('shows times relative to now', () => {
    const now = new Date('2026-01-05T09:00:00Z');
    expect(relativeTime('2026-01-06T08:59:00Z', now)).toBe('in 23 h 59 min');
    expect(relativeTime('2026-01-05T08:55:00Z', now)).toBe('5 min ago');
  });

  it('names a resource by the last part of its URN', () => {
    expect(resourceName('urn:pulumi:prod::shop::aws:ec2/securityGroup:SecurityGroup::web-sg')).toBe(
      'web-sg',
    );
    expect(resourceName('plain')).toBe('plain');
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
