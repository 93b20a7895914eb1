import { describe, expect, it } from 'vitest';
import { syntheticStack, type SyntheticResource } from './synthetic-stack.js';

// What the generator promises to make sensitive, stated independently of the pack's policies.
function looksSensitive(r: SyntheticResource): boolean {
  const p = r.properties ?? {};
  const ingress = (p.ingress ?? []) as { cidrBlocks?: string[] }[];
  return (
    ingress.some((rule) => rule.cidrBlocks?.includes('0.0.0.0/0')) ||
    p.blockPublicAcls === false ||
    p.policyArn === 'arn:aws:iam::aws:policy/AdministratorAccess'
  );
}

describe('syntheticStack', () => {
  it('makes the requested fraction sensitive, spread evenly', () => {
    const stack = syntheticStack(5000, 0.1);
    expect(stack).toHaveLength(5000);
    expect(stack.filter((r) => r.sensitive)).toHaveLength(500);
    for (let start = 0; start < 5000; start += 100) {
      expect(stack.slice(start, start + 100).filter((r) => r.sensitive)).toHaveLength(10);
    }
  });

  it('marks exactly the resources whose properties are sensitive', () => {
    for (const r of syntheticStack(300, 0.25)) expect(looksSensitive(r)).toBe(r.sensitive);
  });

  it('gives every resource a distinct name and mixes the kinds', () => {
    const stack = syntheticStack(200, 0.5);
    expect(new Set(stack.map((r) => `${r.type}::${r.name}`)).size).toBe(200);
    expect(new Set(stack.filter((r) => r.sensitive).map((r) => r.type)).size).toBe(3);
    expect(new Set(stack.filter((r) => !r.sensitive).map((r) => r.type)).size).toBe(5);
  });

  it('handles the edges and refuses nonsense', () => {
    expect(syntheticStack(0, 0.5)).toEqual([]);
    expect(syntheticStack(10, 0).every((r) => !r.sensitive)).toBe(true);
    expect(syntheticStack(10, 1).every((r) => r.sensitive)).toBe(true);
    expect(() => syntheticStack(-1, 0.1)).toThrow(RangeError);
    expect(() => syntheticStack(10, 1.5)).toThrow(RangeError);
    expect(() => syntheticStack(10, Number.NaN)).toThrow(RangeError);
  });
});
