import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { policyConfigSchema } from './config-schema.js';

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
