import type { Clock } from '@clearance/client';

export interface FailureLimit {
  /** Failures a key may make before it must wait. */
  failures: number;
  /** A key's failures are forgotten after this long without one (and without a wait); also the longest wait. */
  windowSeconds: number;
  /** The wait after the `failures`-th failure (default 1 s); each further one doubles it. */
  firstWaitSeconds?: number;
  /** Keys tracked at most; beyond it the stalest key is forgotten (default 10,000). */
  maxKeys?: number | undefined;
}

interface Failures {
  count: number;
  lastMs: number;
  /** Until when the key waits (0: it need not). */
  untilMs: number;
}

/**
 * Counts the failures of a key (a client address, an account) by the injected clock, with an
 * exponential backoff: from the `failures`-th failure on, the key waits 1 s, then 2 s, 4 s...
 * up to `windowSeconds`, and its failures are forgotten once it has been quiet for a window
 * after the last one (and its wait). It limits
 * failures only: callers check a credential first and accept a valid one whatever the wait, so
 * that nobody's failures lock anyone else out.
 */
export class FailureLimiter {
  readonly #failures = new Map<string, Failures>();
  readonly #clock: Clock;
  readonly #limit: number;
  readonly #windowMs: number;
  readonly #firstWaitMs: number;
  readonly #maxKeys: number;

  constructor(clock: Clock, limit: FailureLimit) {
    this.#clock = clock;
    this.#limit = limit.failures;
    this.#windowMs = limit.windowSeconds * 1000;
    this.#firstWaitMs = Math.min((limit.firstWaitSeconds ?? 1) * 1000, this.#windowMs);
    this.#maxKeys = limit.maxKeys ?? 10_000;
  }

  /** Whole seconds `key` must wait before a failure of it is counted again; 0 when none. */
  retryAfterSeconds(key: string): number {
    const now = this.#clock.now().getTime();
    const untilMs = this.#current(key, now)?.untilMs ?? 0;
    return untilMs > now ? Math.ceil((untilMs - now) / 1000) : 0;
  }

  /** Counts a failure; from the limit on, it makes the key wait (twice as long each time). */
  recordFailure(key: string): void {
    const now = this.#clock.now().getTime();
    const count = (this.#current(key, now)?.count ?? 0) + 1;
    const over = count - this.#limit;
    const waitMs =
      over < 0 ? 0 : Math.min(this.#firstWaitMs * 2 ** Math.min(over, 40), this.#windowMs);
    this.#failures.delete(key);
    this.#failures.set(key, { count, lastMs: now, untilMs: waitMs > 0 ? now + waitMs : 0 });
    // Map order is insertion order and every failure re-inserts: the first key is the stalest.
    for (const stalest of this.#failures.keys()) {
      if (this.#failures.size <= this.#maxKeys) break;
      this.#failures.delete(stalest);
    }
  }

  /** Forgets a key's failures (its owner proved who they are). */
  reset(key: string): void {
    this.#failures.delete(key);
  }

  /** Forgets every key that has been quiet for a window. */
  prune(): void {
    const now = this.#clock.now().getTime();
    for (const key of [...this.#failures.keys()]) this.#current(key, now);
  }

  /** How many keys are tracked. */
  get size(): number {
    return this.#failures.size;
  }

  #current(key: string, now: number): Failures | undefined {
    const failures = this.#failures.get(key);
    if (failures && now - Math.max(failures.lastMs, failures.untilMs) >= this.#windowMs) {
      this.#failures.delete(key);
      return undefined;
    }
    return failures;
  }
}
