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
  type SensitiveRule,
  type Tri,
} from '../sensitive-rule.js';
import { readPath } from './support/property-path.js';
import {
  compileResourceRules,
  type CompiledPredicate,
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

function detect(resource: ResourceInput, config: SensitiveResourceConfig): Finding | undefined {
  const rules = compileResourceRules(config.resources).filter((rule) =>
    matchesGlob(resource.type, rule.type),
  );
  const hits = rules.map((rule) => ruleHit(rule, resource));
  return findingOf(hits, (items) => Object.fromEntries(items.flat()));
}

/** Sensitive states described in config only: a type pattern plus conditions on property paths. */
export const sensitiveResource: SensitiveRule<SensitiveResourceConfig> = {
  name: 'sensitive-resource',
  description:
    'Resources matching a configured type pattern and property conditions need an approval.',
  resourceTypes: ['*'],
  configSchema: {
    properties: {
      resources: {
        type: 'array',
        description:
          'Rules: a type pattern (* within a / segment, ** across, ? one character) and conditions on property paths, all of which must hold.',
        default: [],
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['type', 'when'],
          properties: {
            type: { type: 'string', minLength: 1 },
            description: { type: 'string' },
            when: {
              type: 'array',
              items: {
                type: 'object',
                additionalProperties: false,
                required: ['path'],
                minProperties: 2,
                properties: {
                  path: { type: 'string', minLength: 1 },
                  equals: {},
                  contains: {},
                  matches: { type: 'string' },
                  exists: { type: 'boolean' },
                  secret: { type: 'boolean' },
                },
              },
            },
          },
        },
      },
    },
  },
  defaults: { resources: [] },
  detect,
};
