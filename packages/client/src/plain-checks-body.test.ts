import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checksBodySchema } from './api.js';
import { endpointLimits } from './api-limits.js';
import { plainChecksBody } from './plain-checks-body.js';

const fingerprint = 'ab'.repeat(32);
const item = {
  urn: 'urn:pulumi:prod::shop::aws:s3/bucket:Bucket::logs',
  policy: 'aws-s3-public',
  fingerprint,
};
const body = { stack: 'acme/shop/prod', items: [item], run: { id: 'run_1', dryRun: true } };

const near = <T>(valid: fc.Arbitrary<T>, ...others: fc.Arbitrary<unknown>[]) =>
  fc.oneof(
    { weight: 12, arbitrary: valid },
    ...others.map((arbitrary) => ({ weight: 1, arbitrary })),
  );

const rarely = <T>(value: fc.Arbitrary<T>) =>
  fc.oneof({ weight: 11, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: value });

/** Now and then one key is left out, and now and then a key the schema does not know is added. */
const shaken = (record: fc.Arbitrary<Record<string, unknown>>) =>
  fc.tuple(record, rarely(fc.nat()), rarely(fc.string())).map(([value, drop, extra]) => {
    const out = { ...value };
    const keys = Object.keys(out);
    if (drop !== null) delete out[keys[drop % keys.length] ?? ''];
    return extra === null ? out : { ...out, [`x${extra}`]: 1 };
  });

const itemArb = shaken(
  fc.record({
    urn: near(
      fc.string({ maxLength: 30 }).map((s) => `urn:pulumi:${s}`),
      fc.string(),
      fc.constant(`urn:pulumi:${'x'.repeat(1990)}`),
      fc.integer(),
    ),
    policy: near(
      fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,20}$/),
      fc.string({ maxLength: 5 }),
      fc.constant('a'.repeat(201)),
      fc.constant(null),
    ),
    fingerprint: near(
      fc.stringMatching(/^[0-9a-f]{64}$/),
      fc.stringMatching(/^[0-9a-fA-F]{63,65}$/),
      fc.constant(`${fingerprint}\n`),
    ),
  }),
);

const bodyArb = shaken(
  fc.record({
    stack: near(
      fc.constant('acme/shop/prod'),
      fc.constant('acme/shop'),
      fc.integer(),
      fc.constant('acme/shop/prod\n'),
      fc.constant(`a/b/${'c'.repeat(396)}`),
      fc.constant(`a/b/${'c'.repeat(397)}`),
      fc.stringMatching(/^[a-c/ ]{0,8}$/),
    ),
    items: near(
      fc.array(near(itemArb, fc.constant(null), fc.array(fc.string())), { maxLength: 6 }),
      fc.string(),
    ),
    run: near(
      fc.record({ id: fc.string({ minLength: 1, maxLength: 5 }), dryRun: fc.boolean() }),
      fc.constant({}),
    ),
  }),
);

describe('plainChecksBody', () => {
  it('agrees with the schema on every body: its answer where the schema accepts, none elsewhere', () => {
    let acceptedWithItems = 0;
    fc.assert(
      fc.property(bodyArb, (value) => {
        const schema = checksBodySchema.safeParse(value);
        expect(plainChecksBody(value)).toEqual(schema.success ? schema.data : undefined);
        if (schema.success && schema.data.items.length > 0) acceptedWithItems++;
      }),
      { numRuns: 3000 },
    );
    // The bodies tried include many the schema accepts.
    expect(acceptedWithItems).toBeGreaterThan(100);
  });

  it('leaves each kind of mistake to the schema, one field changed from a valid body', () => {
    expect(plainChecksBody(body)).toEqual(body);
    const wrong: unknown[] = [
      { ...body, items: [{ ...item, urn: 'arn:aws:s3:::logs' }] },
      { ...body, items: [{ ...item, urn: `urn:pulumi:${'x'.repeat(2000)}` }] },
      { ...body, items: [{ ...item, policy: 'AWS_S3' }] },
      { ...body, items: [{ ...item, policy: 'a'.repeat(201) }] },
      { ...body, items: [{ ...item, fingerprint: fingerprint.toUpperCase() }] },
      { ...body, items: [{ ...item, extra: 1 }] },
      { ...body, items: [{ urn: item.urn, policy: item.policy }] },
      { ...body, items: [[item.urn, item.policy, item.fingerprint]] },
      { ...body, items: Array.from({ length: endpointLimits.checks.maxItems + 1 }, () => item) },
      { ...body, stack: 'acme/shop' },
      { ...body, stack: 'acme/shop/prod ' },
      { ...body, stack: `a/b/${'c'.repeat(397)}` },
      { ...body, stack: 7 },
      { ...body, run: { id: 'run_1' } },
      { ...body, other: true },
      JSON.parse(`{"stack":"acme/shop/prod","items":[],"__proto__":{}}`) as unknown,
      [body],
      null,
    ];
    for (const value of wrong) {
      expect(checksBodySchema.safeParse(value).success).toBe(false);
      expect(plainChecksBody(value)).toBeUndefined();
    }
  });
});
