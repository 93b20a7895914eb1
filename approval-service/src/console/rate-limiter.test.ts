import { describe, expect, it } from 'vitest';
import { ManualClock } from '../client/clock.js';
import { RateLimiter } from './rate-limiter.js';

describe('RateLimiter', () => {
  it('limits a key once `limit` events fall inside the window', () => {
    const limiter = new RateLimiter(new ManualClock(), { limit: 3, windowSeconds: 60 });
    for (let i = 0; i < 3; i++) {
      expect(limiter.isLimited('alice')).toBe(false);
      limiter.record('alice');
    }
    expect(limiter.isLimited('alice')).toBe(true);
    expect(limiter.isLimited('bob')).toBe(false);
  });

  it('slides: an event leaves the count exactly one window after it happened', () => {
    const clock = new ManualClock();
    const limiter = new RateLimiter(clock, { limit: 2, windowSeconds: 60 });
    limiter.record('k');
    clock.advanceSeconds(30);
    limiter.record('k');
    expect(limiter.isLimited('k')).toBe(true);
    clock.advanceSeconds(29);
    expect(limiter.isLimited('k')).toBe(true);
    clock.advanceSeconds(1);
    expect(limiter.isLimited('k')).toBe(false);
    limiter.record('k');
    expect(limiter.isLimited('k')).toBe(true);
  });

  it('forgets a key on reset', () => {
    const limiter = new RateLimiter(new ManualClock(), { limit: 1, windowSeconds: 60 });
    limiter.record('k');
    expect(limiter.isLimited('k')).toBe(true);
    limiter.reset('k');
    expect(limiter.isLimited('k')).toBe(false);
  });

  it('tracks a bounded number of keys, forgetting the stalest', () => {
    const clock = new ManualClock();
    const limiter = new RateLimiter(clock, { limit: 1, windowSeconds: 600, maxKeys: 2 });
    limiter.record('a');
    clock.advanceSeconds(1);
    limiter.record('b');
    clock.advanceSeconds(1);
    limiter.record('c');
    expect(limiter.isLimited('a')).toBe(false);
    expect(limiter.isLimited('b')).toBe(true);
    expect(limiter.isLimited('c')).toBe(true);
  });

  it('takes (checks and counts) in one step, and refunds the newest event', () => {
    const limiter = new RateLimiter(new ManualClock(), { limit: 2, windowSeconds: 60 });
    expect(limiter.take('k')).toBe(true);
    expect(limiter.take('k')).toBe(true);
    expect(limiter.take('k')).toBe(false);
    limiter.refund('k');
    expect(limiter.isLimited('k')).toBe(false);
    expect(limiter.take('k')).toBe(true);
    expect(limiter.isLimited('k')).toBe(true);
  });
});
