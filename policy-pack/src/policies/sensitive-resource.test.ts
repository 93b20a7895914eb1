import { ClearanceError, SecretValue } from '@clearance/client';
import { describe, expect, it } from 'vitest';
import { materialKey, resource } from './fixtures/baselines.js';
import { UNKNOWN_SENTINEL, engineProps, secret } from './fixtures/engine-props.js';
import { awsTypes } from './support/aws-types.js';
import {
  sensitiveResource as rule,
  type ResourceRule,
  type SensitiveResourceConfig,
} from './sensitive-resource.js';

const kmsKey = 'aws:kms/key:Key';
const key = (props: object = {}) =>
  resource(kmsKey, {
    description: 'data',
    enableKeyRotation: true,
    policy: '{}',
    tags: { env: 'prod' },
    ...props,
  });
const cfg = (...resources: ResourceRule[]): SensitiveResourceConfig => ({ resources });

describe('sensitive-resource: matching', () => {
  it('empty config: never sensitive, for any type', () => {
    expect(rule.resourceTypes).toEqual(['*']);
    expect(rule.detect(key(), rule.defaults)).toBeUndefined();
    expect(
      rule.detect(resource(awsTypes.securityGroup, { ingress: [] }), { resources: [] }),
    ).toBeUndefined();
  });

  it('type glob: * within a / segment, ? one character; other types are left alone', () => {
    const c = cfg({ type: 'aws:kms/*', when: [{ path: 'enableKeyRotation', equals: false }] });
    expect(rule.detect(key({ enableKeyRotation: false }), c)).toBeDefined();
    expect(
      rule.detect(resource('aws:s3/bucket:Bucket', { enableKeyRotation: false }), c),
    ).toBeUndefined();
    const q = cfg({
      type: 'aws:kms/ke?:Key',
      when: [{ path: 'enableKeyRotation', equals: false }],
    });
    expect(rule.detect(key({ enableKeyRotation: false }), q)).toBeDefined();
  });

  it('type glob: every AWS type is aws:**, as in the service config; aws:* stops at the /', () => {
    const when = [{ path: 'enableKeyRotation', equals: false }];
    const rotationOff = key({ enableKeyRotation: false });
    expect(rule.detect(rotationOff, cfg({ type: 'aws:**', when }))).toBeDefined();
    expect(rule.detect(rotationOff, cfg({ type: 'aws:*', when }))).toBeUndefined();
  });

  it('equals: deep JSON equality; material = the value at the path', () => {
    const c = cfg({
      type: kmsKey,
      description: 'key rotation off',
      when: [{ path: 'enableKeyRotation', equals: false }],
    });
    expect(rule.detect(key(), c)).toBeUndefined();
    expect(rule.detect(key({ enableKeyRotation: false }), c)).toEqual({
      summary: 'key rotation off',
      material: { enableKeyRotation: false },
      unknown: false,
    });
    const tags = cfg({ type: kmsKey, when: [{ path: 'tags', equals: { env: 'prod' } }] });
    expect(rule.detect(key(), tags)?.material).toEqual({ tags: { env: 'prod' } });
    expect(rule.detect(key({ tags: { env: 'prod', x: '1' } }), tags)).toBeUndefined();
  });

  it('contains: substring of a string, element of an array', () => {
    const s = cfg({ type: kmsKey, when: [{ path: 'description', contains: 'pii' }] });
    expect(rule.detect(key({ description: 'holds pii data' }), s)).toBeDefined();
    expect(rule.detect(key(), s)).toBeUndefined();
    const a = cfg({ type: kmsKey, when: [{ path: 'aliases', contains: { name: 'prod' } }] });
    expect(rule.detect(key({ aliases: [{ name: 'dev' }, { name: 'prod' }] }), a)).toBeDefined();
    expect(rule.detect(key({ aliases: [{ name: 'dev' }] }), a)).toBeUndefined();
  });

  it('matches: regular expression on strings, numbers and booleans', () => {
    const c = cfg({ type: kmsKey, when: [{ path: 'rules[0].port', matches: '^(22|3389)$' }] });
    expect(rule.detect(key({ rules: [{ port: 22 }] }), c)?.material).toEqual({
      'rules[0].port': 22,
    });
    expect(rule.detect(key({ rules: [{ port: 443 }] }), c)).toBeUndefined();
    expect(rule.detect(key({ rules: [{ port: [22] }] }), c)).toBeUndefined();
  });

  it('exists: set (not null) or not set', () => {
    const set = cfg({ type: kmsKey, when: [{ path: 'policy', exists: true }] });
    const unset = cfg({ type: kmsKey, when: [{ path: 'multiRegion', exists: false }] });
    expect(rule.detect(key(), set)?.material).toEqual({ policy: '{}' });
    expect(rule.detect(key({ policy: null }), set)).toBeUndefined();
    expect(rule.detect(key(), unset)?.material).toEqual({ multiRegion: null });
    expect(rule.detect(key({ multiRegion: true }), unset)).toBeUndefined();
  });

  it('all conditions must hold; several rules combine their material', () => {
    const c = cfg(
      {
        type: kmsKey,
        description: 'prod key without rotation',
        when: [
          { path: 'tags.env', equals: 'prod' },
          { path: 'enableKeyRotation', equals: false },
        ],
      },
      {
        type: 'aws:kms/*',
        description: 'multi-region key',
        when: [{ path: 'multiRegion', equals: true }],
      },
    );
    expect(rule.detect(key({ tags: { env: 'dev' }, enableKeyRotation: false }), c)).toBeUndefined();
    expect(rule.detect(key({ enableKeyRotation: false, multiRegion: true }), c)).toEqual({
      summary: 'prod key without rotation; multi-region key',
      material: { 'tags.env': 'prod', enableKeyRotation: false, multiRegion: true },
      unknown: false,
    });
  });

  it('a summary is derived when no description is given', () => {
    const c = cfg({
      type: kmsKey,
      when: [
        { path: 'tags.env', equals: 'prod' },
        { path: 'policy', exists: true },
      ],
    });
    expect(rule.detect(key(), c)?.summary).toBe(
      `${kmsKey} where tags.env = "prod" and policy is set`,
    );
  });

  it('no conditions: every resource of the type is sensitive, with empty material', () => {
    expect(rule.detect(key(), cfg({ type: kmsKey, when: [] }))).toEqual({
      summary: `${kmsKey} where always`,
      material: {},
      unknown: false,
    });
  });

  it('paths: dots, indexes and quoted names', () => {
    const props = { tags: { 'team.name': 'core' }, list: [{ a: [0, 'x'] }] };
    const quoted = cfg({
      type: kmsKey,
      when: [
        { path: 'tags["team.name"]', equals: 'core' },
        { path: 'list[0].a[1]', equals: 'x' },
      ],
    });
    expect(rule.detect(key(props), quoted)?.material).toEqual({
      'tags["team.name"]': 'core',
      'list[0].a[1]': 'x',
    });
    const inherited = cfg({ type: kmsKey, when: [{ path: 'tags.constructor', exists: true }] });
    expect(rule.detect(key(props), inherited)).toBeUndefined();
  });
});

describe('sensitive-resource: secrets', () => {
  it('values at secret-looking paths, or marked secret, enter material as SecretValue', () => {
    const c = cfg({
      type: 'aws:rds/*',
      when: [
        { path: 'password', exists: true },
        { path: 'username', equals: 'root', secret: true },
      ],
    });
    const f = rule.detect(
      resource('aws:rds/instance:Instance', { password: 'hunter2', username: 'root' }),
      c,
    );
    expect(f?.material.password).toBeInstanceOf(SecretValue);
    expect(f?.material.username).toBeInstanceOf(SecretValue);
    expect(materialKey(f)).not.toContain('hunter2');
    expect(f?.summary).toBe(
      'aws:rds/instance:Instance where password is set and username = (secret)',
    );
  });

  it('engine secrets are read as their values', () => {
    const c = cfg({ type: 'aws:rds/*', when: [{ path: 'masterPassword', equals: 'hunter2' }] });
    const r = resource('aws:rds/cluster:Cluster', { masterPassword: 'x' });
    expect(
      rule.detect({ ...r, props: engineProps({ masterPassword: secret('hunter2') }) }, c),
    ).toBeDefined();
  });
});

describe('sensitive-resource: unknown values at preview', () => {
  const preview = (props: object) => ({
    ...key(),
    props: engineProps({ ...key().props, ...props }),
  });
  const c = cfg({
    type: kmsKey,
    when: [
      { path: 'tags.env', equals: 'prod' },
      { path: 'enableKeyRotation', equals: false },
    ],
  });

  it('an unknown value in a condition that could hold: unknown', () => {
    const f = rule.detect(preview({ enableKeyRotation: UNKNOWN_SENTINEL }), c);
    expect(f?.unknown).toBe(true);
    expect(
      rule.detect(preview({ tags: UNKNOWN_SENTINEL, enableKeyRotation: false }), c)?.unknown,
    ).toBe(true);
  });

  it('a known failing condition settles it: compliant', () => {
    expect(
      rule.detect(preview({ tags: { env: 'dev' }, enableKeyRotation: UNKNOWN_SENTINEL }), c),
    ).toBeUndefined();
  });

  it('unknown values outside the paths do not matter', () => {
    expect(
      rule.detect(preview({ description: UNKNOWN_SENTINEL, enableKeyRotation: false }), c)?.unknown,
    ).toBe(false);
  });
});

describe('sensitive-resource: material', () => {
  const c = cfg({
    type: kmsKey,
    when: [
      { path: 'enableKeyRotation', equals: false },
      { path: 'tags.env', exists: true },
    ],
  });
  it('is stable, changes with the values at the paths, ignores other fields', () => {
    const a = rule.detect(key({ enableKeyRotation: false }), c);
    expect(materialKey(rule.detect(key({ enableKeyRotation: false }), c))).toBe(materialKey(a));
    expect(
      materialKey(rule.detect(key({ enableKeyRotation: false, tags: { env: 'stage' } }), c)),
    ).not.toBe(materialKey(a));
    expect(
      materialKey(
        rule.detect(key({ enableKeyRotation: false, description: 'other', policy: '[]' }), c),
      ),
    ).toBe(materialKey(a));
  });
});

describe('sensitive-resource: invalid config gives a clear error', () => {
  const detectWith = (resources: unknown) => () =>
    rule.detect(key(), { resources } as SensitiveResourceConfig);
  it.each([
    [
      'a bad regular expression',
      [{ type: kmsKey, when: [{ path: 'a', matches: '(' }] }],
      'resources[0].when[0].matches: invalid regular expression "("',
    ],
    [
      'a bad path',
      [{ type: kmsKey, when: [{ path: 'a..b', exists: true }] }],
      'resources[0].when[0].path: invalid property path: expected a property name at position 2 of "a..b"',
    ],
    [
      'an unclosed bracket',
      [{ type: kmsKey, when: [{ path: 'a[0', exists: true }] }],
      "expected ']' at position 3",
    ],
    [
      'a bracket without index',
      [{ type: kmsKey, when: [{ path: 'a[x]', exists: true }] }],
      'expected an index or a quoted name inside []',
    ],
    [
      'two operators',
      [{ type: kmsKey, when: [{ path: 'a', exists: true, equals: 1 }] }],
      'needs exactly one of equals, contains, matches, exists (found equals, exists)',
    ],
    ['no operator', [{ type: kmsKey, when: [{ path: 'a' }] }], 'found none'],
    ['a missing type', [{ when: [] }], 'resources[0].type: must be a non-empty string'],
    [
      'when not a list',
      [{ type: kmsKey, when: {} }],
      'resources[0].when: must be a list of conditions',
    ],
    [
      'an unknown key',
      [{ type: kmsKey, when: [{ path: 'a', exists: true, equal: 1 }] }],
      'unknown key equal',
    ],
    [
      'exists not boolean',
      [{ type: kmsKey, when: [{ path: 'a', exists: 'yes' }] }],
      'resources[0].when[0].exists: must be true or false',
    ],
    ['resources not a list', { type: kmsKey }, 'resources: must be a list'],
  ])('%s', (_, resources, message) => {
    expect(detectWith(resources)).toThrow(ClearanceError);
    expect(detectWith(resources)).toThrow(message);
  });

  it('errors carry ERR_CONFIG and name the policy', () => {
    try {
      detectWith([{ type: kmsKey, when: [{ path: 'a', matches: '[' }] }])();
      expect.unreachable();
    } catch (err) {
      expect((err as ClearanceError).code).toBe('ERR_CONFIG');
      expect((err as Error).message).toMatch(/^sensitive-resource config: /);
    }
  });
});

describe('sensitive-resource: entries with an id go under their own policy name', () => {
  const kms: ResourceRule = {
    id: 'kms-no-rotation',
    type: 'aws:kms/*',
    when: [{ path: 'enableKeyRotation', equals: false }],
  };
  const tagged: ResourceRule = { type: 'aws:kms/*', when: [{ path: 'tags.env', equals: 'prod' }] };

  it('the baseline key: no finding under any name', () => {
    expect(rule.detectRouted(key({ tags: {} }), cfg(kms, tagged))).toEqual([]);
  });

  it('one field changed: the finding goes under the id, apart from the entries without one', () => {
    const found = rule.detectRouted(key({ enableKeyRotation: false }), cfg(kms, tagged));
    expect(found.map((f) => [f.policy, f.finding.material])).toEqual([
      ['kms-no-rotation', { enableKeyRotation: false }],
      ['sensitive-resource', { 'tags.env': 'prod' }],
    ]);
    expect(rule.detect(key({ enableKeyRotation: false }), cfg(kms, tagged))?.material).toEqual({
      'tags.env': 'prod',
    });
  });

  it('entries sharing an id share one finding', () => {
    const alsoKms = { ...tagged, id: 'kms-no-rotation' };
    const found = rule.detectRouted(key({ enableKeyRotation: false }), cfg(kms, alsoKms));
    expect(found.map((f) => f.policy)).toEqual(['kms-no-rotation']);
  });

  it('an id that is not a kebab-case policy name is refused', () => {
    expect(() => rule.detect(key(), cfg({ ...kms, id: 'KMS rotation' }))).toThrow(
      'sensitive-resource config: resources[0].id: must be a kebab-case policy name',
    );
  });

  it('the config schema, derived from zod, declares the id', () => {
    const resources = rule.configSchema.properties.resources as {
      items: { properties: Record<string, unknown>; required: string[] };
    };
    expect(Object.keys(resources.items.properties)).toEqual(['id', 'type', 'description', 'when']);
    expect(resources.items.required).toEqual(['type', 'when']);
  });
});
