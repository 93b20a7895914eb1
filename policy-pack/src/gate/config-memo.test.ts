import { describe, expect, it } from 'vitest';
import { memoOnConfig } from './config-memo.js';

describe('memoOnConfig', () => {
  it('derives again only when a value changes', () => {
    let derived = 0;
    const ports = [22];
    const memo = memoOnConfig((c) => ({ n: ++derived, c }));
    const first = memo({ ports, failMode: 'open' });
    expect(memo({ ports, failMode: 'open' })).toBe(first);
    expect(memo({ ports: [22], failMode: 'open' }).n).toBe(2);
    expect(memo({ ports: [22], failMode: 'open' }).n).toBe(3);
    const shared = [443];
    memo({ ports: shared });
    expect(memo({ ports: shared, extra: true }).n).toBe(5);
    expect(memo({}).n).toBe(6);
  });
});
