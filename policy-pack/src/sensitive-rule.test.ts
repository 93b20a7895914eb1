import { SecretValue } from '@clearance/client';
import { UnknownValueError } from '@pulumi/policy';
import { describe, expect, it } from 'vitest';
import { UNKNOWN_SENTINEL, engineProps, secret } from './policies/fixtures/engine-props.js';
import {
  UNKNOWN,
  UNKNOWN_PLACEHOLDER,
  appliesTo,
  containsUnknown,
  findingOf,
  isUnknownSentinel,
  isUnknownValueError,
  placeholderUnknowns,
  readProp,
  resolveUnknowns,
  triAnd,
  triNot,
  triOr,
  withDefaults,
  type SensitiveRule,
} from './sensitive-rule.js';

describe('values unknown at preview, as @pulumi/policy presents them', () => {
  const props = engineProps({
    name: 'web',
    cidr: UNKNOWN_SENTINEL,
    ports: [22, UNKNOWN_SENTINEL],
    nested: { id: UNKNOWN_SENTINEL, known: true },
    password: secret('hunter2'),
  });

  it('reading an unknown member throws UnknownValueError, which isUnknownValueError recognizes', () => {
    let thrown: unknown;
    try {
      void props.cidr;
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(UnknownValueError);
    expect(isUnknownValueError(thrown)).toBe(true);
    expect(isUnknownValueError(new Error('other'))).toBe(false);
    expect(isUnknownValueError('04da6b54-80e4-46f7-96ec-b56ff0331ba9')).toBe(false);
  });

  it('readProp turns unknown members into UNKNOWN and leaves known ones', () => {
    expect(readProp(props, 'cidr')).toBe(UNKNOWN);
    expect(readProp(props, 'name')).toBe('web');
    expect(readProp(readProp(props, 'ports'), 1)).toBe(UNKNOWN);
    expect(readProp(readProp(props, 'ports'), 0)).toBe(22);
    expect(readProp(props, 'missing')).toBeUndefined();
    expect(readProp(UNKNOWN, 'anything')).toBe(UNKNOWN);
  });

  it('readProp does not reach inherited members', () => {
    expect(readProp(props, 'constructor')).toBeUndefined();
    expect(readProp({}, '__proto__')).toBeUndefined();
  });

  it('resolveUnknowns copies the whole tree with UNKNOWN in place of each unknown, secrets as plain values', () => {
    expect(resolveUnknowns(props)).toEqual({
      name: 'web',
      cidr: UNKNOWN,
      ports: [22, UNKNOWN],
      nested: { id: UNKNOWN, known: true },
      password: 'hunter2',
    });
  });

  it('raw sentinels (values that never went through the proxy) count as unknown too', () => {
    expect(isUnknownSentinel(UNKNOWN_SENTINEL)).toBe(true);
    expect(isUnknownSentinel('dd056dcd-154b-4c76-9bd3-c8f88648b5ff')).toBe(true);
    expect(isUnknownSentinel('04da6b54')).toBe(false);
    expect(resolveUnknowns({ a: [UNKNOWN_SENTINEL] })).toEqual({ a: [UNKNOWN] });
    expect(readProp({ a: UNKNOWN_SENTINEL }, 'a')).toBe(UNKNOWN);
  });

  it('a throwing proxy that does not expose its target is read through its getters', () => {
    const raw: Record<string, unknown> = {
      known: 'x',
      cidr: UNKNOWN_SENTINEL,
      list: [UNKNOWN_SENTINEL],
    };
    const throwing = (target: object, path: string[]): object =>
      new Proxy(target, {
        get(t, key) {
          const value = (t as Record<PropertyKey, unknown>)[key];
          if (value === UNKNOWN_SENTINEL)
            throw new UnknownValueError(value, [...path, String(key)]);
          return value !== null && typeof value === 'object'
            ? throwing(value, [...path, String(key)])
            : value;
        },
      });
    const props = throwing(raw, []);
    expect(() => (props as Record<string, unknown>).cidr).toThrow(UnknownValueError);
    expect(resolveUnknowns(props)).toEqual({ known: 'x', cidr: UNKNOWN, list: [UNKNOWN] });
    expect(readProp(props, 'cidr')).toBe(UNKNOWN);
  });

  it('other errors thrown by a getter are not swallowed', () => {
    const bad = Object.defineProperty({}, 'x', {
      enumerable: true,
      get() {
        throw new RangeError('boom');
      },
    });
    expect(() => readProp(bad, 'x')).toThrow(RangeError);
  });
});

describe('three-valued logic', () => {
  const values = [true, false, UNKNOWN] as const;
  it.each(values.flatMap((a) => values.map((b) => [a, b] as const)))(
    'and/or/not of %s and %s',
    (a, b) => {
      const and =
        a === false || b === false ? false : a === UNKNOWN || b === UNKNOWN ? UNKNOWN : true;
      const or = a === true || b === true ? true : a === UNKNOWN || b === UNKNOWN ? UNKNOWN : false;
      expect(triAnd(a, b)).toBe(and);
      expect(triOr(a, b)).toBe(or);
      expect(triNot(triNot(a))).toBe(a);
    },
  );
  it('empty and is true, empty or is false', () => {
    expect(triAnd()).toBe(true);
    expect(triOr()).toBe(false);
  });
});

describe('findingOf', () => {
  const build = (items: unknown[]) => ({ items });

  it('no true or unknown hit: no finding', () => {
    expect(findingOf([{ verdict: false, summary: 'a', item: 1 }], build)).toBeUndefined();
    expect(findingOf([], build)).toBeUndefined();
  });

  it('true hits: their summaries and material, known', () => {
    const f = findingOf(
      [
        { verdict: true, summary: 'a', item: 1 },
        { verdict: false, summary: 'b', item: 2 },
        { verdict: true, summary: 'a', item: 3 },
      ],
      build,
    );
    expect(f).toEqual({ summary: 'a', material: { items: [1, 3] }, unknown: false });
  });

  it('an unknown hit makes the finding unknown and shows a placeholder', () => {
    const f = findingOf(
      [
        { verdict: true, summary: 'a', item: 1 },
        { verdict: UNKNOWN, summary: 'b', item: UNKNOWN },
      ],
      build,
    );
    expect(f?.unknown).toBe(true);
    expect(f?.summary).toBe('a; b (not known until update)');
    expect(f?.material).toEqual({ items: [1, UNKNOWN_PLACEHOLDER] });
  });

  it('a true hit whose material holds an unknown is unknown too', () => {
    const f = findingOf([{ verdict: true, summary: 'a', item: { port: UNKNOWN } }], build);
    expect(f?.unknown).toBe(true);
  });
});

describe('helpers for material', () => {
  it('containsUnknown looks inside arrays, objects and SecretValue', () => {
    expect(containsUnknown({ a: [1, { b: UNKNOWN }] })).toBe(true);
    expect(containsUnknown(new SecretValue({ b: UNKNOWN }))).toBe(true);
    expect(containsUnknown({ a: [1, { b: 2 }] })).toBe(false);
  });

  it('placeholderUnknowns keeps SecretValue (replacing unknowns inside it)', () => {
    const kept = new SecretValue('s');
    expect((placeholderUnknowns({ a: kept }) as { a: unknown }).a).toBe(kept);
    const replaced = (placeholderUnknowns([new SecretValue(UNKNOWN)]) as SecretValue[])[0];
    expect(replaced).toBeInstanceOf(SecretValue);
    expect(replaced?.value).toBe(UNKNOWN_PLACEHOLDER);
  });
});

describe('rule plumbing', () => {
  const rule: SensitiveRule<{ ports: number[]; strict: boolean }> = {
    name: 'example',
    description: 'example',
    resourceTypes: ['aws:ec2/securityGroup:SecurityGroup'],
    configSchema: { properties: {} },
    defaults: { ports: [22], strict: true },
    detect: () => undefined,
  };

  it('appliesTo matches listed types, or every type for *', () => {
    expect(appliesTo(rule, 'aws:ec2/securityGroup:SecurityGroup')).toBe(true);
    expect(appliesTo(rule, 'aws:s3/bucket:Bucket')).toBe(false);
    expect(appliesTo({ resourceTypes: ['*'] }, 'aws:s3/bucket:Bucket')).toBe(true);
  });

  it('withDefaults overlays configured properties, ignoring undefined and enforcementLevel', () => {
    expect(withDefaults(rule, undefined)).toEqual({ ports: [22], strict: true });
    expect(
      withDefaults(rule, { ports: [], strict: undefined, enforcementLevel: 'mandatory' }),
    ).toEqual({
      ports: [],
      strict: true,
    });
  });
});
