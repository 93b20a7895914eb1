import { afterEach, describe, expect, it, vi } from 'vitest';
import { warmUp } from './warm-up.js';

describe('warmUp', () => {
  afterEach(() => vi.restoreAllMocks());

  it('runs the first-use paths on made-up values, and sends nothing out of the process', async () => {
    const fetched: string[] = [];
    const realFetch = globalThis.fetch;
    vi.spyOn(globalThis, 'fetch').mockImplementation((input, init) => {
      fetched.push(String(input));
      return realFetch(input, init);
    });
    await expect(warmUp()).resolves.toBeUndefined();
    expect(fetched).toHaveLength(1);
    // Its own server on loopback, nowhere else.
    expect(fetched[0]).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
  });
});
