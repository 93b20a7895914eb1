import { describe, expect, it } from 'vitest';
import { ManualClock } from '../client/clock.js';
import { FailureLimiter } from './failure-limiter.js';

function setup(maxKeys?: number) {
  const clock = new ManualClock('2026-01-05T09:00:00Z');
  const limiter = new FailureLimiter(clock, {
    failures: 3,
    windowSeconds: 60,
    ...(maxKeys === undefined ? {} : { maxKeys }),
  });
  return { clock, limiter };
}

describe('FailureLimiter', () => {
  it('lets a key fail up to the limit, then makes it wait until the window is over', () => {
    const { clock, limiter } = setup();
    for (let i = 0; i < 3; i++) {
      expect(limiter.retryAfterSeconds('a')).toBe(0);
      limiter.recordFailure('a');
    }
    expect(limiter.retryAfterSeconds('a')).toBe(60);
    clock.advance(59_001);
    expect(limiter.retryAfterSeconds('a')).toBe(1);
    clock.advance(998);
    expect(limiter.retryAfterSeconds('a')).toBe(1);
    clock.advance(1);
    expect(limiter.retryAfterSeconds('a')).toBe(0);
  });

  it('slides: the wait ends when the oldest counted failure leaves the window', () => {
    const { clock, limiter } = setup();
    limiter.recordFailure('a');
    clock.advanceSeconds(20);
    limiter.recordFailure('a');
    limiter.recordFailure('a');
    expect(limiter.retryAfterSeconds('a')).toBe(40);
    clock.advanceSeconds(40);
    expect(limiter.retryAfterSeconds('a')).toBe(0);
    limiter.recordFailure('a');
    expect(limiter.retryAfterSeconds('a')).toBe(20);
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
    expect(limiter.retryAfterSeconds('c')).toBe(60);
  });

  it('prune forgets keys whose failures all left the window', () => {
    const { clock, limiter } = setup();
    limiter.recordFailure('a');
    clock.advanceSeconds(30);
    limiter.recordFailure('b');
    clock.advanceSeconds(30);
    limiter.prune();
    expect(limiter.size).toBe(1);
  });
});
