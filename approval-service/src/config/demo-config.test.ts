import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { notificationsSchema } from '../notify/notify-config.js';
import { serviceConfigSchema } from './config-schema.js';

const demoYaml = readFileSync(new URL('../../config/demo.yaml', import.meta.url), 'utf8');

/** Every property name a JSON Schema allows, at any depth. */
function propertyNames(schema: unknown, names = new Set<string>()): Set<string> {
  if (Array.isArray(schema)) {
    for (const item of schema) propertyNames(item, names);
  } else if (schema !== null && typeof schema === 'object') {
    const record = schema as Record<string, unknown>;
    const properties = record.properties;
    if (properties !== null && typeof properties === 'object') {
      for (const name of Object.keys(properties)) names.add(name);
    }
    for (const value of Object.values(record)) propertyNames(value, names);
  }
  return names;
}

describe('the demo configuration', () => {
  const jsonSchema = (schema: z.ZodType) =>
    z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });
  const keys = [
    ...propertyNames([jsonSchema(serviceConfigSchema), jsonSchema(notificationsSchema)]),
  ];

  it('shows every key of the service config, set or as a comment', () => {
    expect(keys.length).toBeGreaterThan(20);
    const missing = keys.filter((key) => !new RegExp(`(^|[\\s{,#-])${key}:`, 'm').test(demoYaml));
    expect(missing).toEqual([]);
  });
});
