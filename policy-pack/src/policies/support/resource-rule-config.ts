import { ClearanceError } from '@clearance/client';
import { parsePropertyPath, type PathSegment } from './property-path.js';

/** One condition on a property: exactly one of equals, contains, matches, exists. */
export interface PropertyPredicate {
  /** `a.b[0].c` */
  path: string;
  equals?: unknown;
  /** Substring of a string, or element of an array. */
  contains?: unknown;
  /** Regular expression (JavaScript syntax, `u` flag) a string, number or boolean value must match. */
  matches?: string;
  /** true: the property is set (not null); false: it is not. */
  exists?: boolean;
  /** Enter the value into material only as its hash (also done for names like password, secret, token). */
  secret?: boolean;
}

/** A resource type pattern (a glob: `aws:kms/*`, `aws:**`) whose resources are sensitive when all of `when` hold. */
export interface ResourceRule {
  /**
   * Kebab-case; the policy name its findings are requested, approved and reported under, so that
   * service rules route them (default: `sensitive-resource`).
   */
  id?: string;
  type: string;
  description?: string;
  when: PropertyPredicate[];
}

export type Operator =
  | { op: 'equals'; operand: unknown }
  | { op: 'contains'; operand: unknown }
  | { op: 'matches'; operand: RegExp }
  | { op: 'exists'; operand: boolean };

export interface CompiledPredicate {
  path: string;
  segments: PathSegment[];
  operator: Operator;
  secret: boolean;
}

export interface CompiledRule {
  id: string | undefined;
  type: string;
  description: string | undefined;
  when: CompiledPredicate[];
}

const operators = ['equals', 'contains', 'matches', 'exists'] as const;
const predicateKeys = new Set<string>(['path', 'secret', ...operators]);
const ruleKeys = new Set(['id', 'type', 'description', 'when']);

/** What a rule's `id` must look like: a policy name. */
export const ruleIdPattern = /^[a-z0-9]+(-[a-z0-9]+)*$/;

const isRecord = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

function configError(where: string, message: string): ClearanceError {
  return new ClearanceError('ERR_CONFIG', `sensitive-resource config: ${where}: ${message}`);
}

function compileOperator(p: Record<string, unknown>, where: string): Operator {
  const present = operators.filter((op) => p[op] !== undefined);
  const [op] = present;
  if (present.length !== 1 || op === undefined) {
    throw configError(
      where,
      `needs exactly one of ${operators.join(', ')} (found ${present.join(', ') || 'none'})`,
    );
  }
  const operand = p[op];
  if (op === 'exists') {
    if (typeof operand !== 'boolean') throw configError(`${where}.exists`, 'must be true or false');
    return { op, operand };
  }
  if (op !== 'matches') return { op, operand };
  if (typeof operand !== 'string') throw configError(`${where}.matches`, 'must be a string');
  try {
    return { op, operand: new RegExp(operand, 'u') };
  } catch (err) {
    throw configError(
      `${where}.matches`,
      `invalid regular expression ${JSON.stringify(operand)}: ${(err as Error).message}`,
    );
  }
}

function compilePredicate(p: unknown, where: string): CompiledPredicate {
  if (!isRecord(p)) throw configError(where, 'must be an object');
  const extra = Object.keys(p).filter((k) => !predicateKeys.has(k));
  if (extra.length > 0) throw configError(where, `unknown key ${extra.join(', ')}`);
  if (typeof p.path !== 'string' || p.path === '')
    throw configError(`${where}.path`, 'must be a non-empty string');
  if (p.secret !== undefined && typeof p.secret !== 'boolean')
    throw configError(`${where}.secret`, 'must be true or false');
  let segments: PathSegment[];
  try {
    segments = parsePropertyPath(p.path);
  } catch (err) {
    throw configError(`${where}.path`, `invalid property path: ${(err as Error).message}`);
  }
  return { path: p.path, segments, operator: compileOperator(p, where), secret: p.secret === true };
}

function compileRule(rule: unknown, where: string): CompiledRule {
  if (!isRecord(rule)) throw configError(where, 'must be an object');
  const extra = Object.keys(rule).filter((k) => !ruleKeys.has(k));
  if (extra.length > 0) throw configError(where, `unknown key ${extra.join(', ')}`);
  if (typeof rule.type !== 'string' || rule.type === '')
    throw configError(`${where}.type`, 'must be a non-empty string');
  if (rule.description !== undefined && typeof rule.description !== 'string') {
    throw configError(`${where}.description`, 'must be a string');
  }
  if (rule.id !== undefined && (typeof rule.id !== 'string' || !ruleIdPattern.test(rule.id))) {
    throw configError(`${where}.id`, 'must be a kebab-case policy name, like kms-no-rotation');
  }
  if (!Array.isArray(rule.when)) throw configError(`${where}.when`, 'must be a list of conditions');
  const when = rule.when.map((p, i) => compilePredicate(p, `${where}.when[${i}]`));
  return { id: rule.id, type: rule.type, description: rule.description, when };
}

const compiled = new WeakMap<object, CompiledRule[]>();

/** Validates and compiles `resources` (cached per list); throws ClearanceError ERR_CONFIG naming the mistake. */
export function compileResourceRules(resources: unknown): CompiledRule[] {
  if (resources === undefined) return [];
  if (!Array.isArray(resources)) throw configError('resources', 'must be a list');
  let rules = compiled.get(resources);
  if (!rules) {
    rules = resources.map((rule, i) => compileRule(rule, `resources[${i}]`));
    compiled.set(resources, rules);
  }
  return rules;
}
