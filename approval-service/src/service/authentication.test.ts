import { describe, expect, it } from 'vitest';
import { appHarness } from '../http/app-harness.case.js';

describe('Authentication', () => {
  it('authenticates API tokens by their hash and console passwords by scrypt', async () => {
    const h = await appHarness();
    expect(h.services.auth.authenticateToken('demo-bob')).toEqual({
      id: 'bob',
      displayName: 'Bob (manager)',
      groups: ['managers'],
    });
    expect(h.services.auth.authenticateToken('demo-bob ')).toBeUndefined();
    expect(h.services.auth.authenticateToken('')).toBeUndefined();
    expect((await h.services.auth.verifyPassword('carol', 'carol'))?.id).toBe('carol');
    expect(await h.services.auth.verifyPassword('carol', 'alice')).toBeUndefined();
    expect(await h.services.auth.verifyPassword('mallory', 'mallory')).toBeUndefined();
  });
});
