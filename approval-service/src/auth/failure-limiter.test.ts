import { describe, expect, it } from 'vitest';
import { ManualClock } from '@clearance/client';
import { FailureLimiter } from './failure-limiter.js';

function setup(maxKeys?: number) {
  const clock = new ManualClock('2026-01-05T09:00:00Z');
  const limiter = new FailureLimiter(clock, {
    failures: 3,
    windowSeconds: 60,
    maxKeys,
  });
  return { clock, limiter };
}

describe('FailureLimiter', () => {
  it('lets a key fail up to the limit, then makes it wait 1 s, doubling with each failure up to the window', () => {
    const { clock, limiter } = setup();
    for (let i = 0; i < 2; i++) {
      limiter.recordFailure('a');
      expect(limiter.retryAfterSeconds('a')).toBe(0);
    }
    const waits: number[] = [];
    for (let i = 0; i < 8; i++) {
      limiter.recordFailure('a');
      const wait = limiter.retryAfterSeconds('a');
      waits.push(wait);
      clock.advanceSeconds(wait);
      expect(limiter.retryAfterSeconds('a')).toBe(0);
    }
    expect(waits).toEqual([1, 2, 4, 8, 16, 32, 60, 60]);
  });

  it('counts the wait to the millisecond, in whole seconds rounded up', () => {
    const { clock, limiter } = setup();
    for (let i = 0; i < 4; i++) limiter.recordFailure('a');
    expect(limiter.retryAfterSeconds('a')).toBe(2);
    clock.advance(1001);
    expect(limiter.retryAfterSeconds('a')).toBe(1);
    clock.advance(998);
    expect(limiter.retryAfterSeconds('a')).toBe(1);
    clock.advance(1);
    expect(limiter.retryAfterSeconds('a')).toBe(0);
  });

  it('forgets the failures a window after the last one and its wait, and on reset', () => {
    const { clock, limiter } = setup();
    for (let i = 0; i < 5; i++) limiter.recordFailure('a');
    clock.advanceSeconds(63);
    expect(limiter.retryAfterSeconds('a')).toBe(0);
    expect(limiter.size).toBe(1);
    clock.advanceSeconds(1);
    limiter.recordFailure('a');
    expect(limiter.retryAfterSeconds('a')).toBe(0);
    for (let i = 0; i < 2; i++) limiter.recordFailure('a');
    expect(limiter.retryAfterSeconds('a')).toBe(1);
    limiter.reset('a');
    expect(limiter.retryAfterSeconds('a')).toBe(0);
    limiter.recordFailure('a');
    expect(limiter.retryAfterSeconds('a')).toBe(0);
  });

  it('limits each key on its own', () => {
    const { limiter } = setup();
    for (let i = 0; i < 3; i++) limiter.recordFailure('a');
    expect(limiter.retryAfterSeconds('a')).toBeGreaterThan(0);
    expect(limiter.retryAfterSeconds('b')).toBe(0);
  });

  it('tracks at most maxKeys keys, forgetting the stalest', () => {
    const { limiter } = setup(2);
    for (const key of ['a', 'b', 'c']) for (let i = 0; i < 3; i++) limiter.recordFailure(key);
    expect(limiter.size).toBe(2);
    expect(limiter.retryAfterSeconds('a')).toBe(0);
    expect(limiter.retryAfterSeconds('c')).toBe(1);
  });

  it('prune forgets keys whose last failure is a window old', () => {
    const { clock, limiter } = setup();
    limiter.recordFailure('a');
    clock.advanceSeconds(30);
    limiter.recordFailure('b');
    clock.advanceSeconds(30);
    limiter.prune();
    expect(limiter.size).toBe(1);
  });
});
