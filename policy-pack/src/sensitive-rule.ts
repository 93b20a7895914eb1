import { SecretValue } from '@clearance/client';
import type { PolicyConfigSchema } from '@pulumi/policy';

/** One resource as a policy sees it: its inputs (`props`) may hold values unknown until update. */
export interface ResourceInput {
  type: string;
  urn: string;
  name: string;
  props: Record<string, unknown>;
}

/** A resource state that needs an approval. */
export interface Finding {
  /** Why this state is sensitive, for people ("ingress 0.0.0.0/0 on port 22"). */
  summary: string;
  /** The properties that make it sensitive; only these enter the fingerprint. Secret-looking values wrapped in SecretValue. */
  material: Record<string, unknown>;
  /** True when some value deciding sensitivity or material is unknown (preview): "checked at update". */
  unknown: boolean;
  /**
   * For people, not fingerprinted: the program's own property name of material rows, keyed by
   * the row's path in the material (`openIngress[0].cidr` → `ingress[0].cidrBlocks[0]`).
   */
  propertyNames?: Record<string, string>;
}

/**
 * A sensitive-state policy: decides whether a resource state needs approval and what binds it.
 * Write one in a file of its own and give it to `clearancePolicies` (`@clearance/policy-pack`):
 * `detect` reads the inputs with `resolveProps`, weighs each reason with a `Hit` (true, false or
 * UNKNOWN at preview) and returns `findingOf(hits, build)`; the gate does the rest.
 */
export interface SensitiveRule<C extends object = object> {
  /** Kebab-case; equals the file name. */
  name: string;
  description: string;
  /** Pulumi type tokens this rule inspects; `'*'` means every type (the rule filters itself). */
  resourceTypes: readonly string[];
  configSchema: PolicyConfigSchema;
  defaults: C;
  /** Pure. Never throws on unknown values; throws a ClearanceError (ERR_CONFIG) on invalid config. */
  detect(resource: ResourceInput, config: C): Finding | undefined;
}

/** Whether `rule` inspects resources of `type`. */
export function appliesTo(rule: Pick<SensitiveRule, 'resourceTypes'>, type: string): boolean {
  return rule.resourceTypes.includes('*') || rule.resourceTypes.includes(type);
}

/** The rule's defaults overlaid with the configured properties (shallow, undefined ignored). */
export function withDefaults<C extends object>(
  rule: SensitiveRule<C>,
  config: Record<string, unknown> | undefined,
): C {
  const merged: Record<string, unknown> = { ...(rule.defaults as Record<string, unknown>) };
  for (const [key, value] of Object.entries(config ?? {})) {
    if (value !== undefined && key !== 'enforcementLevel') merged[key] = value;
  }
  return merged as C;
}

/** Marks a value that is unknown until update. */
export const UNKNOWN: unique symbol = Symbol('unknown until update');
export type Unknown = typeof UNKNOWN;

/** How an unknown value appears in material (which is only informative while `unknown` is true). */
export const UNKNOWN_PLACEHOLDER = '<unknown until update>';

/** The engine's unknown sentinels, one per value kind (`@pulumi/policy` proxy.js). */
const unknownSentinels: ReadonlySet<string> = new Set([
  '1c4a061d-8072-4f0a-a4cb-0ff528b18fe7',
  '3eeb2bf0-c639-47a8-9e75-3b44932eb421',
  '04da6b54-80e4-46f7-96ec-b56ff0331ba9',
  '6a19a0b0-7e62-4c92-b797-7f8e31da9cc2',
  '030794c1-ac77-496b-92df-f27374a8bd58',
  'e48ece36-62e2-4504-bad9-02848725956a',
  'dd056dcd-154b-4c76-9bd3-c8f88648b5ff',
]);

export function isUnknownSentinel(value: unknown): boolean {
  return typeof value === 'string' && unknownSentinels.has(value);
}

/** Recognizes `@pulumi/policy`'s UnknownValueError without depending on its class identity. */
export function isUnknownValueError(err: unknown): boolean {
  return (
    err instanceof Error &&
    isUnknownSentinel((err as { unknownTypeSentinel?: unknown }).unknownTypeSentinel)
  );
}

/**
 * `@pulumi/policy` hands props over in a proxy that throws on unknown values; its raw target holds
 * the sentinels instead and is much cheaper to read. Anything else is returned as is.
 */
function unwrapProxy(obj: object): object {
  try {
    const proxy = obj as Record<string, unknown>;
    if (proxy.__isSpecialProxy !== true) return obj;
    const target = proxy.__getSpecialProxyTarget;
    return target !== null && typeof target === 'object' ? target : obj;
  } catch (err) {
    if (isUnknownValueError(err)) return obj;
    throw err;
  }
}

/** Reads an own property; a value unknown at preview (throwing proxy or raw sentinel) reads as UNKNOWN. */
export function readProp(obj: unknown, key: string | number): unknown {
  if (obj === UNKNOWN) return UNKNOWN;
  if (obj === null || typeof obj !== 'object') return undefined;
  const target = unwrapProxy(obj);
  if (!Object.hasOwn(target, key)) return undefined;
  let value: unknown;
  try {
    value = (target as Record<string | number, unknown>)[key];
  } catch (err) {
    if (isUnknownValueError(err)) return UNKNOWN;
    throw err;
  }
  return isUnknownSentinel(value) ? UNKNOWN : value;
}

function isPlainObject(value: object): boolean {
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** A deep plain copy of `value` in which every unknown value is UNKNOWN; undefined members are dropped. */
export function resolveUnknowns(input: unknown): unknown {
  if (isUnknownSentinel(input)) return UNKNOWN;
  if (input === null || typeof input !== 'object') return input;
  const value = unwrapProxy(input);
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    for (let i = 0; i < value.length; i++) out.push(resolveUnknowns(readProp(value, i)));
    return out;
  }
  if (!isPlainObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const member = resolveUnknowns(readProp(value, key));
    if (member !== undefined) out[key] = member;
  }
  return out;
}

/** Resource inputs resolved for a detector; keys are checked against the provider's args type `A`. */
export type ResolvedProps<A> = { readonly [K in keyof A]?: unknown };

/**
 * A resource's inputs as a detector reads them: a plain deep copy, every value unknown at preview
 * as UNKNOWN. `A` is the provider's args type (`aws.ec2.InstanceArgs`, `k8s.core.v1.PodArgs`...),
 * for its keys only.
 */
export function resolveProps<A>(props: Record<string, unknown>): ResolvedProps<A> {
  return resolveUnknowns(props) as ResolvedProps<A>;
}

/** Three-valued truth: true, false, or not known until update. */
export type Tri = boolean | Unknown;

/** false if any is false, else UNKNOWN if any is unknown, else true. */
export function triAnd(...values: Tri[]): Tri {
  if (values.includes(false)) return false;
  return values.includes(UNKNOWN) ? UNKNOWN : true;
}

/** true if any is true, else UNKNOWN if any is unknown, else false. */
export function triOr(...values: Tri[]): Tri {
  if (values.includes(true)) return true;
  return values.includes(UNKNOWN) ? UNKNOWN : false;
}

/** The negation; UNKNOWN stays UNKNOWN. */
export function triNot(value: Tri): Tri {
  return value === UNKNOWN ? UNKNOWN : !value;
}

/** Whether UNKNOWN occurs anywhere in a resolved value (SecretValue contents included). */
export function containsUnknown(value: unknown): boolean {
  if (value === UNKNOWN) return true;
  if (value === null || typeof value !== 'object') return false;
  if (Array.isArray(value)) return value.some(containsUnknown);
  if (value instanceof SecretValue) return containsUnknown(value.value);
  return isPlainObject(value) && Object.values(value).some(containsUnknown);
}

/** `value` with UNKNOWN replaced by UNKNOWN_PLACEHOLDER (inside SecretValue too), so material stays JSON. */
export function placeholderUnknowns(value: unknown): unknown {
  if (value === UNKNOWN) return UNKNOWN_PLACEHOLDER;
  if (Array.isArray(value)) return value.map(placeholderUnknowns);
  if (value instanceof SecretValue)
    return containsUnknown(value.value) ? new SecretValue(placeholderUnknowns(value.value)) : value;
  if (value !== null && typeof value === 'object' && isPlainObject(value)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, placeholderUnknowns(v)]));
  }
  return value;
}

/** One reason a resource may be sensitive: `verdict` true (it is), UNKNOWN (maybe), false (it is not). */
export interface Hit<M = unknown> {
  verdict: Tri;
  summary: string;
  /** What this hit contributes to the material. */
  item: M;
}

/**
 * The Finding for a set of hits: undefined when no hit is true or unknown; otherwise the summaries
 * of those hits, the material `build` makes of their items (unknowns shown as a placeholder),
 * `unknown` when any of them is unknown, and the property names `names` gives their rows.
 */
export function findingOf<M>(
  hits: readonly Hit<M>[],
  build: (items: M[]) => Record<string, unknown>,
  names?: (items: M[]) => Record<string, string>,
): Finding | undefined {
  const relevant = hits.filter((h) => h.verdict !== false);
  if (relevant.length === 0) return undefined;
  const isUnknown = (h: Hit<M>): boolean => h.verdict === UNKNOWN || containsUnknown(h.item);
  const summaries = relevant.map((h) =>
    isUnknown(h) ? `${h.summary} (not known until update)` : h.summary,
  );
  const items = relevant.map((h) => h.item);
  const material = build(items);
  const finding: Finding = {
    summary: [...new Set(summaries)].join('; '),
    material: placeholderUnknowns(material) as Record<string, unknown>,
    unknown: relevant.some(isUnknown) || containsUnknown(material),
  };
  const propertyNames = names?.(items) ?? {};
  if (Object.keys(propertyNames).length > 0) finding.propertyNames = propertyNames;
  return finding;
}
