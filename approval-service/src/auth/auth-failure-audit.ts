import type { Clock } from '@clearance/client';
import type { AuditEvent } from '../domain/model.js';

/** Address under which attempts are counted once `maxKeys` addresses are tracked. */
export const otherAddresses = '*';

export interface AuthFailureAuditOptions {
  clock: Clock;
  /** At most one line per address and reason within this many seconds. */
  windowSeconds: number;
  /** Appends audit events (fsynced); a rejection keeps the counts for the next line. */
  write: (events: AuditEvent[]) => Promise<void>;
  /** The audit subject and `data.via` of every line, e.g. `api`. */
  via: string;
  /** Address and reason pairs tracked at most; further addresses count under `*` (default 1,000). */
  maxKeys?: number | undefined;
}

interface Tally {
  address: string;
  reason: string;
  /** Time of this tally's last line, -Infinity before the first. */
  lineAt: number;
  /** Attempts since the last line, and when the first and last of them happened. */
  pending: number;
  firstAt: number;
  lastAt: number;
}

/**
 * Audits failed authentications without letting callers write at will: the first failure of
 * an address (per reason) is written at once, later ones within the window are only counted
 * and go out as one line with their `count`, on the next failure after the window or on
 * `flush()`. No line ever holds what the caller presented.
 */
export class AuthFailureAudit {
  readonly #tallies = new Map<string, Tally>();
  readonly #options: AuthFailureAuditOptions;
  readonly #windowMs: number;
  readonly #maxKeys: number;

  constructor(options: AuthFailureAuditOptions) {
    this.#options = options;
    this.#windowMs = options.windowSeconds * 1000;
    this.#maxKeys = options.maxKeys ?? 1000;
  }

  /** Counts one failed attempt; writes a line when the address has none within the window. */
  async record(address: string, reason: string): Promise<void> {
    const now = this.#now();
    const tally = this.#tallyFor(address, reason);
    if (tally.pending === 0) tally.firstAt = now;
    tally.pending += 1;
    tally.lastAt = now;
    if (now - tally.lineAt >= this.#windowMs) await this.#writeOut([tally], now);
  }

  /**
   * Writes one line for every tally with counted attempts whose last line is a window old
   * (every one with `all`, at shutdown), and forgets idle ones. Returns the lines written.
   */
  async flush(options: { all?: boolean } = {}): Promise<number> {
    const now = this.#now();
    const due: Tally[] = [];
    for (const [key, tally] of this.#tallies) {
      const quiet = now - tally.lineAt >= this.#windowMs;
      if (tally.pending > 0 && (quiet || options.all)) due.push(tally);
      else if (tally.pending === 0 && quiet) this.#tallies.delete(key);
    }
    await this.#writeOut(due, now);
    return due.length;
  }

  /** Attempts counted but not yet written, over all addresses. */
  get pending(): number {
    let sum = 0;
    for (const tally of this.#tallies.values()) sum += tally.pending;
    return sum;
  }

  #now(): number {
    return this.#options.clock.now().getTime();
  }

  #tallyFor(address: string, reason: string): Tally {
    const own = JSON.stringify([address, reason]);
    const known = this.#tallies.get(own);
    if (known) return known;
    const full = this.#tallies.size >= this.#maxKeys;
    const key = full ? JSON.stringify([otherAddresses, reason]) : own;
    const existing = this.#tallies.get(key);
    if (existing) return existing;
    const tally: Tally = {
      address: full ? otherAddresses : address,
      reason,
      lineAt: -Infinity,
      pending: 0,
      firstAt: 0,
      lastAt: 0,
    };
    this.#tallies.set(key, tally);
    return tally;
  }

  async #writeOut(tallies: Tally[], now: number): Promise<void> {
    if (tallies.length === 0) return;
    const taken = tallies.map((tally) => {
      const { pending: count, firstAt, lastAt, lineAt } = tally;
      Object.assign(tally, { pending: 0, lineAt: now });
      return { tally, count, firstAt, lastAt, lineAt };
    });
    const { via } = this.#options;
    const events = taken.map(({ tally, count, firstAt, lastAt }): AuditEvent => ({
      time: new Date(now).toISOString(),
      actor: 'anonymous',
      action: 'auth.failed',
      subject: via,
      data: {
        via,
        reason: tally.reason,
        address: tally.address,
        count,
        firstAt: new Date(firstAt).toISOString(),
        lastAt: new Date(lastAt).toISOString(),
      },
    }));
    try {
      await this.#options.write(events);
    } catch (err) {
      // Nothing was written: the counts stay for the next line.
      for (const { tally, count, firstAt, lastAt, lineAt } of taken) {
        if (tally.pending === 0) tally.lastAt = lastAt;
        tally.pending += count;
        tally.firstAt = firstAt;
        tally.lineAt = lineAt;
      }
      throw err;
    }
  }
}
