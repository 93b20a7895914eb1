import { SecretValue, canonicalJson, matchesGlob } from '@clearance/client';
import {
  UNKNOWN,
  containsUnknown,
  findingOf,
  resolveUnknowns,
  triAnd,
  type Finding,
  type Hit,
  type ResourceInput,
  type Tri,
} from '../sensitive-rule.js';
import { z } from 'zod';
import type { RoutedFinding, RoutedRule } from '../routed-rule.js';
import { ruleConfig } from './support/config-schema.js';
import { readPath } from './support/property-path.js';
import {
  compileResourceRules,
  type CompiledPredicate,
  ruleIdPattern,
  type CompiledRule,
  type ResourceRule,
} from './support/resource-rule-config.js';
import { looksSecret, wrapSecretLooking } from './support/values.js';

export type { PropertyPredicate, ResourceRule } from './support/resource-rule-config.js';

export interface SensitiveResourceConfig {
  /** Resource rules; none means no resource is sensitive under this policy. */
  resources: ResourceRule[];
}

function sameJson(a: unknown, b: unknown): boolean {
  try {
    return canonicalJson(a) === canonicalJson(b);
  } catch {
    return false;
  }
}

function holds(predicate: CompiledPredicate, value: unknown): Tri {
  if (containsUnknown(value)) return UNKNOWN;
  const { op, operand } = predicate.operator;
  switch (op) {
    case 'exists':
      return (value !== undefined && value !== null) === operand;
    case 'equals':
      return value !== undefined && sameJson(value, operand);
    case 'contains':
      if (typeof value === 'string') return typeof operand === 'string' && value.includes(operand);
      return Array.isArray(value) && value.some((element) => sameJson(element, operand));
    case 'matches':
      return ['string', 'number', 'boolean'].includes(typeof value) && operand.test(String(value));
  }
}

function describe(predicate: CompiledPredicate): string {
  const { op, operand } = predicate.operator;
  if (op === 'exists') return `${predicate.path} is ${operand ? 'set' : 'not set'}`;
  if (op === 'matches') return `${predicate.path} matches ${String(operand)}`;
  return `${predicate.path} ${op === 'equals' ? '=' : 'contains'} ${predicate.secret ? '(secret)' : JSON.stringify(operand)}`;
}

/** The value at a predicate's path as material: absent as null, secrets (declared or by name) hashed. */
function materialValue(predicate: CompiledPredicate, value: unknown): unknown {
  const plain = value === undefined ? null : value;
  const last = predicate.segments[predicate.segments.length - 1];
  const secret = predicate.secret || (typeof last === 'string' && looksSecret(last));
  return secret && plain !== UNKNOWN ? new SecretValue(plain) : wrapSecretLooking(plain);
}

function ruleHit(rule: CompiledRule, resource: ResourceInput): Hit<[string, unknown][]> {
  const values = rule.when.map((p) => resolveUnknowns(readPath(resource.props, p.segments)));
  const verdict = triAnd(...rule.when.map((p, i) => holds(p, values[i])));
  const summary =
    rule.description ??
    `${resource.type} where ${rule.when.map(describe).join(' and ') || 'always'}`;
  return { verdict, summary, item: rule.when.map((p, i) => [p.path, materialValue(p, values[i])]) };
}

const POLICY = 'sensitive-resource';

/** One finding per policy name: entries without an id together under `sensitive-resource`. */
function detectRouted(resource: ResourceInput, config: SensitiveResourceConfig): RoutedFinding[] {
  const byPolicy = new Map<string, Hit<[string, unknown][]>[]>();
  for (const rule of compileResourceRules(config.resources)) {
    if (!matchesGlob(resource.type, rule.type)) continue;
    const policy = rule.id ?? POLICY;
    byPolicy.set(policy, [...(byPolicy.get(policy) ?? []), ruleHit(rule, resource)]);
  }
  return [...byPolicy].flatMap(([policy, hits]) => {
    const finding = findingOf(hits, (items) => Object.fromEntries(items.flat()));
    return finding ? [{ policy, finding }] : [];
  });
}

/** The finding of the entries without an id (those with one go under their own policy name). */
function detect(resource: ResourceInput, config: SensitiveResourceConfig): Finding | undefined {
  return detectRouted(resource, config).find((f) => f.policy === POLICY)?.finding;
}

const predicateSchema = z
  .strictObject({
    path: z.string().min(1),
    equals: z.unknown().optional(),
    contains: z.unknown().optional(),
    matches: z.string().exactOptional(),
    exists: z.boolean().exactOptional(),
    secret: z.boolean().exactOptional(),
  })
  .meta({ minProperties: 2 });

const resourceRuleSchema = z.strictObject({
  id: z
    .string()
    .regex(ruleIdPattern)
    .exactOptional()
    .describe('Policy name its approvals go under, for routing (default sensitive-resource).'),
  type: z.string().min(1),
  description: z.string().exactOptional(),
  when: z.array(predicateSchema),
});

const sensitiveResourceConfig = z.object({
  resources: z
    .array(resourceRuleSchema)
    .default([])
    .describe(
      'Rules: a type pattern (* within a / segment, ** across, ? one character) and conditions on property paths, all of which must hold.',
    ),
});

/**
 * Sensitive states described in config only: a type pattern plus conditions on property paths.
 * An entry with an `id` goes under that policy name (KMS approvals to one group of approvers, GPU
 * approvals to another); the others under `sensitive-resource`.
 */
export const sensitiveResource: RoutedRule<SensitiveResourceConfig> = {
  name: POLICY,
  description:
    'Resources matching a configured type pattern and property conditions need an approval.',
  resourceTypes: ['*'],
  ...ruleConfig(sensitiveResourceConfig),
  detect,
  detectRouted,
};
