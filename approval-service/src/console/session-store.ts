import type { Clock } from '@clearance/client';
import type { Actor } from '../domain/model.js';
import type { SessionRecords } from '../store/store.js';
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

/** What a stored session must hold to be used again (the rest is kept as it is). */
function isStoredSession(doc: unknown): doc is Omit<Session, 'id'> {
  const s = doc as Partial<Session> | null;
  return (
    typeof s === 'object' &&
    s !== null &&
    typeof s.formToken === 'string' &&
    typeof s.createdAt === 'number' &&
    typeof s.lastSeenAt === 'number' &&
    typeof s.actor?.id === 'string'
  );
}

/**
 * Console sessions, held in memory: a restart logs everyone out, unless `records` keeps them
 * in the store (PostgreSQL), shared by replicas. Then `load` reads a session before a request
 * uses it, and changes reach the store before the answer (`persist`, `flush`). Ids are 256-bit
 * random values; a session ends on logout, after the idle timeout or after the absolute timeout.
 */
export class SessionStore {
  readonly #sessions = new Map<string, Session>();
  readonly #pending = new Set<Promise<void>>();

  constructor(
    private readonly clock: Clock,
    private readonly limits: SessionLimits,
    private readonly records?: SessionRecords,
  ) {}

  /** Reads the session from the store (the other replicas' logins and logouts too). */
  async load(id: string): Promise<void> {
    if (!this.records) return;
    const doc = await this.records.load(id);
    if (isStoredSession(doc)) this.#sessions.set(id, { ...doc, id });
    else this.#sessions.delete(id);
  }

  /** Saves the session as it is now (its last use, its flash message) to the store. */
  persist(id: string): Promise<void> {
    const session = this.#sessions.get(id);
    if (session) this.#save(session);
    return this.flush();
  }

  /** Waits until every session change so far is in the store; rejects if one failed. */
  async flush(): Promise<void> {
    while (this.#pending.size > 0) await Promise.all([...this.#pending]);
  }

  #track(write: Promise<void>): void {
    const tracked = write.finally(() => this.#pending.delete(tracked));
    // Reported by the next flush (before the answer), not as an unhandled rejection.
    tracked.catch(() => {});
    this.#pending.add(tracked);
  }

  #save(session: Session): void {
    if (!this.records) return;
    const { id, ...doc } = session;
    const expiresAt = Math.min(
      session.lastSeenAt + this.limits.idleTimeoutSeconds * 1000,
      session.createdAt + this.limits.absoluteTimeoutSeconds * 1000,
    );
    this.#track(this.records.save(id, doc, expiresAt, this.clock.now().getTime()));
  }

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
    this.#save(session);
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
    if (this.records) this.#track(this.records.remove(id));
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
