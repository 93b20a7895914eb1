import type { Clock } from '../client/clock.js';

export interface RateLimit {
  /** Events allowed per key within the window. */
  limit: number;
  windowSeconds: number;
  /** Keys tracked at most; beyond it the stalest keys are forgotten. */
  maxKeys?: number;
}

/**
 * Counts events (failed logins) per key in a sliding window measured by the injected clock.
 * A key is limited once `limit` events fall inside the window.
 */
export class RateLimiter {
  readonly #events = new Map<string, number[]>();
  readonly #maxKeys: number;

  constructor(
    private readonly clock: Clock,
    private readonly rate: RateLimit,
  ) {
    this.#maxKeys = rate.maxKeys ?? 100_000;
  }

  isLimited(key: string): boolean {
    return this.#recent(key).length >= this.rate.limit;
  }

  /**
   * Checks and counts in one step: false (and nothing counted) when the key is limited.
   * Counting before the slow work (scrypt) means parallel attempts cannot all slip through.
   */
  take(key: string): boolean {
    if (this.isLimited(key)) return false;
    this.record(key);
    return true;
  }

  /** Takes back the newest event of a key (an attempt that turned out fine). */
  refund(key: string): void {
    const events = this.#events.get(key);
    events?.pop();
    if (events?.length === 0) this.#events.delete(key);
  }

  record(key: string): void {
    const recent = this.#recent(key);
    recent.push(this.clock.now().getTime());
    // Only the newest `limit` events matter to the decision.
    if (recent.length > this.rate.limit) recent.splice(0, recent.length - this.rate.limit);
    this.#events.delete(key);
    this.#events.set(key, recent);
    if (this.#events.size > this.#maxKeys) this.#forgetStalest();
  }

  reset(key: string): void {
    this.#events.delete(key);
  }

  #recent(key: string): number[] {
    const since = this.clock.now().getTime() - this.rate.windowSeconds * 1000;
    const events = (this.#events.get(key) ?? []).filter((t) => t > since);
    if (events.length === 0) this.#events.delete(key);
    return events;
  }

  #forgetStalest(): void {
    // Map order is insertion order and `record` re-inserts, so the first key is the stalest.
    for (const key of this.#events.keys()) {
      this.#events.delete(key);
      if (this.#events.size <= this.#maxKeys) return;
    }
  }
}
