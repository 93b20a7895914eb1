import { describe, expect, it } from 'vitest';
import { ManualClock } from '@clearance/client';
import { PendingSignIns, signInFromRecord } from './oidc-flows.js';

const signIn = (next: string) => ({ state: 's', nonce: 'n', codeVerifier: 'v', next });

describe('PendingSignIns', () => {
  it('gives a sign-in back once, by its random id', () => {
    const pending = new PendingSignIns(new ManualClock());
    const id = pending.add(signIn('/a'));
    expect(id).toMatch(/^[\w-]{43}$/);
    expect(pending.add(signIn('/b'))).not.toBe(id);
    expect(pending.take(id)).toEqual(signIn('/a'));
    expect(pending.take(id)).toBeUndefined();
    expect(pending.take(undefined)).toBeUndefined();
    expect(pending.take('unknown')).toBeUndefined();
  });

  it('forgets a sign-in once its time is up', () => {
    const clock = new ManualClock();
    const pending = new PendingSignIns(clock, 60_000);
    const id = pending.add(signIn('/a'));
    const later = pending.add(signIn('/b'));
    clock.advance(60_000);
    expect(pending.take(id)).toBeUndefined();
    pending.add(signIn('/c'));
    expect(pending.size).toBe(1);
    expect(pending.take(later)).toBeUndefined();
  });

  it('keeps at most `max`, dropping the oldest first', () => {
    const pending = new PendingSignIns(new ManualClock(), 60_000, 2);
    const first = pending.add(signIn('/1'));
    const second = pending.add(signIn('/2'));
    pending.add(signIn('/3'));
    expect(pending.size).toBe(2);
    expect(pending.take(first)).toBeUndefined();
    expect(pending.take(second)).toEqual(signIn('/2'));
  });
});

describe('signInFromRecord', () => {
  it('reads back a sign-in a store kept, and nothing else', () => {
    expect(signInFromRecord(signIn('/a'))).toEqual(signIn('/a'));
    expect(signInFromRecord({ ...signIn('/a'), extra: 1 })).toEqual(signIn('/a'));
    expect(signInFromRecord(undefined)).toBeUndefined();
    expect(signInFromRecord({ ...signIn('/a'), nonce: 7 })).toBeUndefined();
    expect(signInFromRecord('text')).toBeUndefined();
  });
});
