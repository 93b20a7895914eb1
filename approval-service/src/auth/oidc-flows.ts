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

/**
 * Single sign-ons under way kept by a store that replicas share (PostgreSQL, `Store.signIns`),
 * by the id the browser's sign-in cookie carries, as JSON. `take` removes the sign-in as it
 * answers it, so of two callbacks with one id (on one replica or two) only one gets it;
 * undefined when unknown, taken before, or expired by `nowMs`. `add` also deletes the sign-ins
 * that expired by `nowMs`.
 */
export interface SignInRecords {
  add(id: string, signIn: unknown, expiresAtMs: number, nowMs: number): Promise<void>;
  take(id: string, nowMs: number): Promise<unknown>;
}

/** How long a sign-in may take, from the button to the callback. */
export const SIGN_IN_TTL_MS = 10 * 60_000;

/** A new sign-in id: 256 random bits, base64url. */
export function newSignInId(): string {
  return randomBytes(32).toString('base64url');
}

/** The sign-in a store kept, or undefined when it is not one (unknown, taken, expired). */
export function signInFromRecord(doc: unknown): PendingSignIn | undefined {
  if (typeof doc !== 'object' || doc === null) return undefined;
  const { state, nonce, codeVerifier, next } = doc as Record<string, unknown>;
  if (
    typeof state !== 'string' ||
    typeof nonce !== 'string' ||
    typeof codeVerifier !== 'string' ||
    typeof next !== 'string'
  ) {
    return undefined;
  }
  return { state, nonce, codeVerifier, next };
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
    private readonly ttlMs = SIGN_IN_TTL_MS,
    private readonly max = 10_000,
  ) {}

  /** Keeps a sign-in and returns its id. */
  add(signIn: PendingSignIn): string {
    const now = this.clock.now().getTime();
    for (const [id, entry] of this.#entries) {
      if (entry.expiresAt <= now || this.#entries.size >= this.max) this.#entries.delete(id);
      else break;
    }
    const id = newSignInId();
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
