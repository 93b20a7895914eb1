import { describe, expect, it } from 'vitest';
import { formatDuration } from './duration.js';

describe('formatDuration', () => {
  it('shows durations with their two largest units', () => {
    expect(formatDuration(20)).toBe('20 s');
    expect(formatDuration(45 * 60)).toBe('45 min');
    expect(formatDuration(3600)).toBe('1 h');
    expect(formatDuration(5400)).toBe('1 h 30 min');
    expect(formatDuration(2 * 86_400 + 3 * 3600 + 59)).toBe('2 d 3 h');
    expect(formatDuration(86_400 + 60)).toBe('1 d');
  });

  it('rounds down, and shows milliseconds under a second', () => {
    expect(formatDuration(59.9)).toBe('59 s');
    expect(formatDuration(0.3)).toBe('300 ms');
    expect(formatDuration(0)).toBe('0 s');
    expect(formatDuration(-5)).toBe('0 s');
  });
});
