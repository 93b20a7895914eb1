import { describe, expect, it } from 'vitest';
import { redactMaterial, SecretValue } from '@clearance/client';
import { materialRows, namedMaterialRows } from './material-rows.js';

describe('materialRows', () => {
  it('flattens nested properties into readable paths', () => {
    const rows = materialRows({
      ingress: [{ cidrBlocks: ['0.0.0.0/0'], fromPort: 22 }],
      tags: { 'team-name': 'web' },
      public: true,
    });
    expect(rows).toEqual([
      { path: 'ingress[0].cidrBlocks[0]', value: '0.0.0.0/0', secret: false },
      { path: 'ingress[0].fromPort', value: '22', secret: false },
      { path: 'public', value: 'true', secret: false },
      { path: 'tags["team-name"]', value: 'web', secret: false },
    ]);
  });

  it('shows a secret as "[secret]", never its value or hash', () => {
    const material = redactMaterial({
      password: new SecretValue('hunter2'),
      user: 'admin',
    }) as Record<string, unknown>;
    const rows = materialRows(material);
    expect(rows).toEqual([
      { path: 'password', value: '[secret]', secret: true },
      { path: 'user', value: 'admin', secret: false },
    ]);
    expect(JSON.stringify(rows)).not.toMatch(/hunter2|[0-9a-f]{64}/);
  });

  it('marks empty containers and null values', () => {
    expect(materialRows({ a: [], b: {}, c: null })).toEqual([
      { path: 'a', value: '[] (empty)', secret: false },
      { path: 'b', value: '{} (empty)', secret: false },
      { path: 'c', value: 'null', secret: false },
    ]);
    expect(materialRows(undefined)).toEqual([]);
  });
});

describe('namedMaterialRows', () => {
  it('names a row by its own entry, else by its nearest named parent, else by its path', () => {
    const material = {
      externalPrincipals: [{ Action: ['sts:AssumeRole'], principal: 'arn:aws:iam::1:root' }],
      other: 1,
    };
    const names = {
      'externalPrincipals[0]': 'assumeRolePolicy.Statement[0]',
      'externalPrincipals[0].principal': 'assumeRolePolicy.Statement[0].Principal',
    };
    expect(namedMaterialRows(material, names).map((r) => [r.path, r.name])).toEqual([
      ['externalPrincipals[0].Action[0]', 'assumeRolePolicy.Statement[0].Action[0]'],
      ['externalPrincipals[0].principal', 'assumeRolePolicy.Statement[0].Principal'],
      ['other', 'other'],
    ]);
  });
});
