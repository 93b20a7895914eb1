import { describe, expect, it } from 'vitest';
import { secret, toWireProperties, UNKNOWN, urn } from './wire-values.js';

describe('urn', () => {
  it('builds the URN of a top-level resource', () => {
    expect(urn('prod', 'shop', 'aws:s3/bucket:Bucket', 'logs')).toBe(
      'urn:pulumi:prod::shop::aws:s3/bucket:Bucket::logs',
    );
  });

  it('qualifies the type with the parent type', () => {
    expect(
      urn('dev', 'web', 'aws:ec2/securityGroup:SecurityGroup', 'sg', 'acme:index:Service'),
    ).toBe('urn:pulumi:dev::web::acme:index:Service$aws:ec2/securityGroup:SecurityGroup::sg');
  });
});

describe('wire forms', () => {
  it('uses the engine sentinel for unknowns', () => {
    expect(UNKNOWN).toBe('04da6b54-80e4-46f7-96ec-b56ff0331ba9');
  });

  it('wraps secrets in the signature object', () => {
    expect(secret({ password: 'x' })).toEqual({
      '4dabf18193072939515e22adb298388d': '1b47061264138c4ac30d75fd1eb44270',
      value: { password: 'x' },
    });
  });
});

describe('toWireProperties', () => {
  it('drops internal keys and undefined values at every level', () => {
    expect(
      toWireProperties({
        __defaults: ['a'],
        a: 1,
        b: undefined,
        c: { __meta: 1, d: undefined, e: 'x' },
      }),
    ).toEqual({
      a: 1,
      c: { e: 'x' },
    });
  });

  it('keeps arrays, null, unknowns and secrets', () => {
    const properties = { list: [1, null, undefined, UNKNOWN], s: secret('p') };
    expect(toWireProperties(properties)).toEqual({
      list: [1, null, null, UNKNOWN],
      s: secret('p'),
    });
  });

  it('refuses values the wire cannot carry', () => {
    expect(() => toWireProperties({ n: Number.NaN })).toThrow(/NaN/);
    expect(() => toWireProperties({ f: () => 1 })).toThrow(/function/);
  });
});
