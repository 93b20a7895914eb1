import type { PolicyConfigSchema } from '@pulumi/policy';
import { z } from 'zod';

/**
 * A policy's config schema as CrossGuard takes it (JSON Schema properties), derived from the zod
 * schema of its config: one definition validates the config (the engine checks it against this
 * schema) and documents it (descriptions and defaults).
 */
export function policyConfigSchema(schema: z.ZodObject): PolicyConfigSchema {
  const json = z.toJSONSchema(schema, { io: 'input', target: 'draft-7' }) as {
    properties?: PolicyConfigSchema['properties'];
    required?: string[];
  };
  return {
    properties: json.properties ?? {},
    ...(json.required && json.required.length > 0 ? { required: json.required } : {}),
  };
}

/**
 * A rule's `configSchema` and `defaults`, both from the zod schema of its config: the defaults
 * are what the schema gives for an empty config, so they are written once, beside their
 * descriptions. Every key of `schema` must have a default.
 */
export function ruleConfig<S extends z.ZodObject>(
  schema: S,
): { configSchema: PolicyConfigSchema; defaults: z.output<S> } {
  return { configSchema: policyConfigSchema(schema), defaults: schema.parse({}) };
}
