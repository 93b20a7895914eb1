import { randomBytes } from 'node:crypto';
import type { Clock } from '@clearance/client';

/** What a sign-in started with, kept on the server until the IdP sends the browser back. */
export interface PendingSignIn {
  state: string;
  nonce: string;
  codeVerifier: string;
  /** The console path to open once signed in. */
  next: string;
}

interface Entry extends PendingSignIn {
  expiresAt: number;
}

/**
 * Sign-ins under way, by a random id that only the browser's cookie carries. Each is taken
 * once: a second callback with the same id (a replay) finds nothing. They lapse after `ttlMs`;
 * beyond `max` the oldest goes first.
 */
export class PendingSignIns {
  readonly #entries = new Map<string, Entry>();

  constructor(
    private readonly clock: Clock,
    private readonly ttlMs = 10 * 60_000,
    private readonly max = 10_000,
  ) {}

  /** Keeps a sign-in and returns its id. */
  add(signIn: PendingSignIn): string {
    const now = this.clock.now().getTime();
    for (const [id, entry] of this.#entries) {
      if (entry.expiresAt <= now || this.#entries.size >= this.max) this.#entries.delete(id);
      else break;
    }
    const id = randomBytes(32).toString('base64url');
    this.#entries.set(id, { ...signIn, expiresAt: now + this.ttlMs });
    return id;
  }

  /** The sign-in with this id, removed; undefined when unknown, taken before, or lapsed. */
  take(id: string | undefined): PendingSignIn | undefined {
    if (id === undefined) return undefined;
    const entry = this.#entries.get(id);
    if (!entry) return undefined;
    this.#entries.delete(id);
    if (entry.expiresAt <= this.clock.now().getTime()) return undefined;
    const { expiresAt: _expiresAt, ...signIn } = entry;
    return signIn;
  }

  get size(): number {
    return this.#entries.size;
  }
}
