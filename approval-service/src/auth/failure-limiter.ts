import type { Clock } from '../client/clock.js';

export interface FailureLimit {
  /** Failures allowed per key within the window; once reached, the key must wait. */
  failures: number;
  windowSeconds: number;
  /** Keys tracked at most; beyond it the stalest key is forgotten (default 10,000). */
  maxKeys?: number;
}

/**
 * Counts failures per key (a client address) in a sliding window of the injected clock. A key
 * with `failures` failures inside the window waits until the oldest of them leaves it.
 */
export class FailureLimiter {
  readonly #failures = new Map<string, number[]>();
  readonly #clock: Clock;
  readonly #limit: number;
  readonly #windowMs: number;
  readonly #maxKeys: number;

  constructor(clock: Clock, limit: FailureLimit) {
    this.#clock = clock;
    this.#limit = limit.failures;
    this.#windowMs = limit.windowSeconds * 1000;
    this.#maxKeys = limit.maxKeys ?? 10_000;
  }

  /** Whole seconds until `key` may try again; 0 when it may try now. */
  retryAfterSeconds(key: string): number {
    const now = this.#clock.now().getTime();
    const recent = this.#recent(key, now);
    if (recent.length < this.#limit) return 0;
    const oldest = recent[recent.length - this.#limit] ?? now;
    return Math.max(1, Math.ceil((oldest + this.#windowMs - now) / 1000));
  }

  recordFailure(key: string): void {
    const now = this.#clock.now().getTime();
    const recent = this.#recent(key, now);
    recent.push(now);
    // Only the newest `failures` times matter to the decision.
    if (recent.length > this.#limit) recent.splice(0, recent.length - this.#limit);
    this.#failures.delete(key);
    this.#failures.set(key, recent);
    // Map order is insertion order and every failure re-inserts: the first key is the stalest.
    for (const stalest of this.#failures.keys()) {
      if (this.#failures.size <= this.#maxKeys) break;
      this.#failures.delete(stalest);
    }
  }

  /** Forgets every key without a failure inside the window. */
  prune(): void {
    const now = this.#clock.now().getTime();
    for (const key of [...this.#failures.keys()]) this.#recent(key, now);
  }

  /** How many keys are tracked. */
  get size(): number {
    return this.#failures.size;
  }

  #recent(key: string, now: number): number[] {
    const since = now - this.#windowMs;
    const recent = (this.#failures.get(key) ?? []).filter((t) => t > since);
    if (recent.length === 0) this.#failures.delete(key);
    return recent;
  }
}
