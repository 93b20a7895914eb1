import { describe, expect, it } from 'vitest';
import { UNKNOWN } from '../../sensitive-rule.js';
import {
  coversAllResources,
  grantsAction,
  isEveryone,
  parsePolicyDocument,
  principalsOf,
  statementMaterial,
} from './policy-document.js';

describe('parsePolicyDocument', () => {
  it('reads JSON strings and objects, one statement or a list', () => {
    const statement = { Effect: 'Allow', Action: '*', Resource: '*' };
    expect(parsePolicyDocument(JSON.stringify({ Statement: [statement] }))).toEqual({
      kind: 'statements',
      statements: [statement],
    });
    expect(parsePolicyDocument({ Statement: statement })).toEqual({
      kind: 'statements',
      statements: [statement],
    });
    expect(parsePolicyDocument(undefined)).toEqual({ kind: 'statements', statements: [] });
  });

  it('sentinels inside a JSON string are unknown too', () => {
    const doc = JSON.stringify({
      Statement: [{ Effect: 'Allow', Resource: '04da6b54-80e4-46f7-96ec-b56ff0331ba9' }],
    });
    expect(parsePolicyDocument(doc)).toEqual({
      kind: 'statements',
      statements: [{ Effect: 'Allow', Resource: UNKNOWN }],
    });
  });

  it('unknown and invalid documents', () => {
    expect(parsePolicyDocument(UNKNOWN)).toEqual({ kind: 'unknown' });
    expect(parsePolicyDocument({ Statement: UNKNOWN })).toEqual({ kind: 'unknown' });
    expect(parsePolicyDocument('{').kind).toBe('invalid');
    expect(parsePolicyDocument('[1]').kind).toBe('invalid');
    expect(parsePolicyDocument({ Statement: ['x'] }).kind).toBe('invalid');
  });
});

describe('statements', () => {
  it('grantsAction: Action entries cover, NotAction entries must not overlap', () => {
    expect(grantsAction({ Action: ['s3:*', 'iam:*'] }, 'iam:*')).toBe(true);
    expect(grantsAction({ Action: 's3:*' }, 'iam:*')).toBe(false);
    expect(grantsAction({ Action: [UNKNOWN] }, 'iam:*')).toBe(UNKNOWN);
    expect(grantsAction({ Action: ['iam:*', UNKNOWN] }, 'iam:*')).toBe(true);
    expect(grantsAction({ NotAction: 's3:*' }, 'iam:*')).toBe(true);
    expect(grantsAction({ NotAction: 'iam:PassRole' }, 'iam:*')).toBe(false);
    expect(grantsAction({}, '*')).toBe(false);
  });

  it('coversAllResources', () => {
    expect(coversAllResources({ Resource: ['arn:aws:s3:::x', '*'] })).toBe(true);
    expect(coversAllResources({ Resource: 'arn:*' })).toBe(true);
    expect(coversAllResources({ Resource: 'arn:aws:s3:::*' })).toBe(false);
    expect(coversAllResources({ NotResource: 'arn:aws:s3:::x' })).toBe(true);
    expect(coversAllResources({ Resource: UNKNOWN })).toBe(UNKNOWN);
  });

  it('principals: *, typed maps, NotPrincipal as everyone', () => {
    expect(principalsOf({ Principal: '*' })).toEqual([{ type: '*', value: '*' }]);
    expect(principalsOf({ Principal: { AWS: ['a', 'b'], Service: 'x' } })).toEqual([
      { type: 'AWS', value: 'a' },
      { type: 'AWS', value: 'b' },
      { type: 'Service', value: 'x' },
    ]);
    expect(principalsOf({ NotPrincipal: { AWS: 'a' } })).toEqual([{ type: '*', value: '*' }]);
    expect(principalsOf({ Principal: { AWS: UNKNOWN } })).toBe(UNKNOWN);
    expect(isEveryone({ type: 'AWS', value: ' * ' })).toBe(true);
    expect(isEveryone({ type: 'Service', value: '*' })).toBe(false);
    expect(isEveryone({ type: 'AWS', value: UNKNOWN })).toBe(UNKNOWN);
  });

  it('statementMaterial: sorted lists, no Sid', () => {
    expect(
      statementMaterial({
        Sid: 'x',
        Effect: 'Allow',
        Action: ['b', 'a', 'a'],
        Principal: { AWS: ['2', '1'] },
        Resource: '*',
      }),
    ).toEqual({
      Effect: 'Allow',
      Action: ['a', 'b'],
      Resource: ['*'],
      Principal: { AWS: ['1', '2'] },
    });
  });
});
