import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { policyConfigSchema, ruleConfig } from './config-schema.js';

describe('policyConfigSchema', () => {
  it('gives the JSON Schema properties of the zod config, with descriptions and defaults', () => {
    const schema = z.object({
      ports: z.array(z.int().min(0).max(65535)).default([]).describe('Ports.'),
      check: z.boolean().default(true).describe('Check it.'),
    });
    expect(policyConfigSchema(schema)).toEqual({
      properties: {
        ports: {
          type: 'array',
          items: { type: 'integer', minimum: 0, maximum: 65535 },
          default: [],
          description: 'Ports.',
        },
        check: { type: 'boolean', default: true, description: 'Check it.' },
      },
    });
  });

  it('lists the keys without a default as required', () => {
    expect(policyConfigSchema(z.object({ name: z.string().min(1) }))).toEqual({
      properties: { name: { type: 'string', minLength: 1 } },
      required: ['name'],
    });
  });
});

describe('ruleConfig', () => {
  const schema = z.object({
    ports: z.array(z.int()).default([22]).describe('Ports.'),
    check: z.boolean().default(true).describe('Check it.'),
  });

  it('takes the defaults from the schema, as an empty config parses', () => {
    expect(ruleConfig(schema).defaults).toEqual({ ports: [22], check: true });
  });

  it('gives the same JSON Schema as policyConfigSchema', () => {
    expect(ruleConfig(schema).configSchema).toEqual(policyConfigSchema(schema));
  });

  it('refuses a schema with a key that has no default', () => {
    expect(() => ruleConfig(z.object({ name: z.string() }))).toThrow();
  });
});
