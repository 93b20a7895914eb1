import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isClearanceError } from './errors.js';
import { parseUrn, resourceName, resourceUrn, type UrnParts } from './urn.js';

const sg = 'aws:ec2/securityGroup:SecurityGroup';

describe('resourceUrn', () => {
  it('builds the URN of a resource of the stack', () => {
    expect(resourceUrn({ stack: 'prod', project: 'shop', type: sg, name: 'web-sg' })).toBe(
      `urn:pulumi:prod::shop::${sg}::web-sg`,
    );
  });

  it('qualifies the type with the parent type', () => {
    const parts = { stack: 'dev', project: 'web', type: sg, name: 'sg', parentType: 'acme:x:Svc' };
    expect(resourceUrn(parts)).toBe(`urn:pulumi:dev::web::acme:x:Svc$${sg}::sg`);
  });
});

describe('parseUrn', () => {
  it('reads stack, project, type and name', () => {
    expect(parseUrn(`urn:pulumi:prod::shop::${sg}::web-sg`)).toEqual({
      stack: 'prod',
      project: 'shop',
      type: sg,
      name: 'web-sg',
    });
  });

  it('splits the parent type off at the last $, and keeps :: inside the name', () => {
    expect(parseUrn(`urn:pulumi:prod::shop::a:b:C$d:e:F$${sg}::x::y`)).toEqual({
      stack: 'prod',
      project: 'shop',
      type: sg,
      parentType: 'a:b:C$d:e:F',
      name: 'x::y',
    });
  });

  it('refuses what is not a resource URN', () => {
    for (const text of [
      'plain',
      `urn:pulumi:prod::shop::${sg}`,
      `urn:other:prod::shop::${sg}::x`,
    ]) {
      let code: string | undefined;
      try {
        parseUrn(text);
      } catch (err) {
        code = isClearanceError(err) ? err.code : undefined;
      }
      expect(code, text).toBe('ERR_VALIDATION');
    }
  });

  it('reads back every URN it builds', () => {
    const part = fc.stringMatching(/^[A-Za-z0-9_./-]{1,10}$/);
    const type = fc.tuple(part, part, part).map((p) => p.join(':'));
    fc.assert(
      fc.property(part, part, type, part, fc.option(type, { nil: undefined }), (...p) => {
        const [stack, project, t, name, parentType] = p;
        const parts: UrnParts = { stack, project, type: t, name };
        if (parentType !== undefined) parts.parentType = parentType;
        expect(parseUrn(resourceUrn(parts))).toEqual(parts);
      }),
    );
  });
});

describe('resourceName', () => {
  it('names a resource by the name in its URN, or shows the text when it is no URN', () => {
    expect(resourceName(`urn:pulumi:prod::shop::${sg}::web-sg`)).toBe('web-sg');
    expect(resourceName(`urn:pulumi:prod::shop::${sg}::a::b`)).toBe('a::b');
    expect(resourceName('plain')).toBe('plain');
  });
});
