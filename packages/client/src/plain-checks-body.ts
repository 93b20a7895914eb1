import type { z } from 'zod';
import { endpointLimits } from './api-limits.js';
import { checksBodySchema, stateNameRules, type CheckItem } from './api.js';

const {
  maxStackLength,
  stackPattern,
  urnPrefix,
  maxUrnLength,
  maxPolicyLength,
  policyPattern,
  fingerprintPattern,
} = stateNameRules;

/** Whether `value` is a check item as `checkItemSchema` accepts it: these three keys, valid. */
function isPlainCheckItem(value: unknown): value is CheckItem {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const item = value as Record<string, unknown>;
  const { urn, policy, fingerprint } = item;
  return (
    Object.keys(item).length === 3 &&
    typeof urn === 'string' &&
    urn.length <= maxUrnLength &&
    urn.startsWith(urnPrefix) &&
    typeof policy === 'string' &&
    policy.length <= maxPolicyLength &&
    policyPattern.test(policy) &&
    typeof fingerprint === 'string' &&
    fingerprintPattern.test(fingerprint)
  );
}

/**
 * `checksBodySchema`'s answer for a body it accepts, reached without running the item schema on
 * every item: the items, and a stack sent alone beside them, are checked by the same rules
 * (`stateNameRules`) without building issues; the rest of a body goes through the schema. Undefined when anything is off, so
 * that the schema, run whole, says what. A run checks up to thousands of items in one body.
 */
export function plainChecksBody(value: unknown): z.output<typeof checksBodySchema> | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const { items, ...rest } = value as Record<string, unknown>;
  if (!Array.isArray(items) || items.length > endpointLimits.checks.maxItems) return undefined;
  for (const item of items) if (!isPlainCheckItem(item)) return undefined;
  // The body a run sends most: the stack and the items; the schema judges any other.
  const { stack } = rest;
  if (
    Object.keys(rest).length === 1 &&
    typeof stack === 'string' &&
    stack.length <= maxStackLength &&
    stackPattern.test(stack)
  ) {
    return { stack, items: items as CheckItem[] };
  }
  const parsed = checksBodySchema.safeParse({ ...rest, items: [] });
  return parsed.success ? { ...parsed.data, items: items as CheckItem[] } : undefined;
}
