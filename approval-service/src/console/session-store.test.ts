import { describe, expect, it } from 'vitest';
import { ManualClock } from '@clearance/client';
import { SessionStore } from './session-store.js';

const alice = { id: 'alice', displayName: 'Alice', groups: ['managers'] };
const limits = { idleTimeoutSeconds: 600, absoluteTimeoutSeconds: 3600, maxSessions: 100 };

describe('SessionStore', () => {
  it('gives every login a new random id and form token', () => {
    const store = new SessionStore(new ManualClock(), limits);
    const a = store.create(alice);
    const b = store.create(alice);
    expect(a.id).not.toBe(b.id);
    expect(a.formToken).not.toBe(b.formToken);
    expect(a.id).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(store.get(a.id)?.actor).toEqual(alice);
  });

  it('ends a session after the idle timeout, counted from the last use', () => {
    const clock = new ManualClock();
    const store = new SessionStore(clock, limits);
    const s = store.create(alice);
    clock.advanceSeconds(599);
    expect(store.get(s.id)).toBeDefined();
    clock.advanceSeconds(599);
    expect(store.get(s.id)).toBeDefined();
    clock.advanceSeconds(600);
    expect(store.get(s.id)).toBeUndefined();
    expect(store.size).toBe(0);
  });

  it('ends a session at the absolute timeout however active it is', () => {
    const clock = new ManualClock();
    const store = new SessionStore(clock, limits);
    const s = store.create(alice);
    for (let t = 0; t < 3599; t += 300) {
      expect(store.get(s.id)).toBeDefined();
      clock.advanceSeconds(300);
    }
    clock.set(new Date(s.createdAt + 3599_000));
    expect(store.get(s.id)).toBeDefined();
    clock.advanceSeconds(1);
    expect(store.get(s.id)).toBeUndefined();
  });

  it('ends a session on destroy (logout)', () => {
    const store = new SessionStore(new ManualClock(), limits);
    const s = store.create(alice);
    store.destroy(s.id);
    expect(store.get(s.id)).toBeUndefined();
  });

  it('drops expired sessions, then the least recently used, when full', () => {
    const clock = new ManualClock();
    const store = new SessionStore(clock, { ...limits, maxSessions: 2 });
    const first = store.create(alice);
    clock.advanceSeconds(10);
    const second = store.create(alice);
    clock.advanceSeconds(10);
    store.get(first.id);
    const third = store.create(alice);
    expect(store.size).toBe(2);
    expect(store.get(second.id)).toBeUndefined();
    expect(store.get(first.id)).toBeDefined();
    expect(store.get(third.id)).toBeDefined();
  });

  it('knows no session for an unknown id', () => {
    const store = new SessionStore(new ManualClock(), limits);
    expect(store.get('nope')).toBeUndefined();
  });
});
