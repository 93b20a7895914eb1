import { SecretValue, canonicalJson, redactMaterial } from '@clearance/client';
import { UNKNOWN, placeholderUnknowns, type Unknown } from '../../sensitive-rule.js';

/** A resolved value as a list: absent → [], one value → [value], UNKNOWN stays UNKNOWN. */
export function asList(value: unknown): unknown[] | Unknown {
  if (value === UNKNOWN) return UNKNOWN;
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

/** Strings of a resolved list, sorted and without duplicates; UNKNOWN entries are kept (last). */
export function sortedStrings(value: unknown): unknown[] | Unknown {
  const list = asList(value);
  if (list === UNKNOWN) return UNKNOWN;
  const strings = [...new Set(list.filter((v): v is string => typeof v === 'string'))].sort();
  return list.includes(UNKNOWN) ? [...strings, UNKNOWN] : strings;
}

export const isRecord = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

/** For people: a resolved list as "a, b", unknown entries as "?". */
export function describeList(value: unknown): string {
  const list = asList(value);
  if (list === UNKNOWN) return '?';
  return list
    .map((v) => (v === UNKNOWN ? '?' : typeof v === 'string' ? v : JSON.stringify(v)))
    .join(', ');
}

function sortKey(value: unknown): string {
  return canonicalJson(redactMaterial(placeholderUnknowns(value)));
}

/** Items in a stable order (by canonical JSON), duplicates removed: material independent of input order. */
export function stableSet<T>(items: readonly T[]): T[] {
  return stableSetBy(items, (item) => item);
}

/** `stableSet` by what `keyOf` makes of each item: the items in the order of their material. */
export function stableSetBy<T>(items: readonly T[], keyOf: (item: T) => unknown): T[] {
  const byKey = new Map<string, T>();
  for (const item of items) byKey.set(sortKey(keyOf(item)), item);
  return [...byKey.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, item]) => item);
}

const secretLookingKey =
  /passw(or)?d|passphrase|secret|token|private.?key|api.?key|credential|external.?id/i;

/** Whether a property name suggests its value is a secret. */
export function looksSecret(key: string): boolean {
  return secretLookingKey.test(key);
}

/** A deep copy where each known member whose key looks secret is wrapped in SecretValue. */
export function wrapSecretLooking(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(wrapSecretLooking);
  if (value === null || typeof value !== 'object' || value instanceof SecretValue) return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [
      k,
      looksSecret(k) && v !== UNKNOWN ? new SecretValue(v) : wrapSecretLooking(v),
    ]),
  );
}
