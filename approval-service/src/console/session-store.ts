import type { Clock } from '@clearance/client';
import type { Actor } from '../domain/model.js';
import { randomToken } from './form-token.js';

/** A logged-in console user. */
export interface Session {
  id: string;
  actor: Actor;
  /** Every POST of this session must carry it (see form-token.ts). */
  formToken: string;
  createdAt: number;
  lastSeenAt: number;
  /** A one-time message for the next page (after a redirect). */
  flash?: string;
  /** The OpenID provider's ID token of a single sign-on (for RP-initiated logout). */
  idToken?: string;
}

export interface SessionLimits {
  idleTimeoutSeconds: number;
  absoluteTimeoutSeconds: number;
  maxSessions: number;
}

/**
 * Console sessions, held in memory: a restart logs everyone out. Ids are 256-bit random
 * values; a session ends on logout, after the idle timeout or after the absolute timeout.
 */
export class SessionStore {
  readonly #sessions = new Map<string, Session>();

  constructor(
    private readonly clock: Clock,
    private readonly limits: SessionLimits,
  ) {}

  /** Starts a session with a new id (a login never reuses an id). */
  create(actor: Actor, idToken?: string): Session {
    const now = this.clock.now().getTime();
    if (this.#sessions.size >= this.limits.maxSessions) this.#makeRoom(now);
    const session: Session = {
      id: randomToken(),
      actor,
      formToken: randomToken(),
      createdAt: now,
      lastSeenAt: now,
      ...(idToken === undefined ? {} : { idToken }),
    };
    this.#sessions.set(session.id, session);
    return session;
  }

  /** The live session with this id, marked as seen now; undefined once it has ended. */
  get(id: string): Session | undefined {
    const session = this.#sessions.get(id);
    if (!session) return undefined;
    const now = this.clock.now().getTime();
    if (this.#expired(session, now)) {
      this.#sessions.delete(id);
      return undefined;
    }
    session.lastSeenAt = now;
    return session;
  }

  destroy(id: string): void {
    this.#sessions.delete(id);
  }

  get size(): number {
    return this.#sessions.size;
  }

  #expired(session: Session, now: number): boolean {
    return (
      now - session.lastSeenAt >= this.limits.idleTimeoutSeconds * 1000 ||
      now - session.createdAt >= this.limits.absoluteTimeoutSeconds * 1000
    );
  }

  #makeRoom(now: number): void {
    for (const [id, session] of this.#sessions) {
      if (this.#expired(session, now)) this.#sessions.delete(id);
    }
    while (this.#sessions.size >= this.limits.maxSessions) {
      let oldest: Session | undefined;
      for (const session of this.#sessions.values()) {
        if (!oldest || session.lastSeenAt < oldest.lastSeenAt) oldest = session;
      }
      if (!oldest) break;
      this.#sessions.delete(oldest.id);
    }
  }
}
