import { resourceUrn } from '@clearance/client';

/** The string the engine sends for a value unknown during preview. */
export const UNKNOWN = '04da6b54-80e4-46f7-96ec-b56ff0331ba9';

/** The key that marks a special value on the wire, and the signature of a secret. */
export const SPECIAL_SIG_KEY = '4dabf18193072939515e22adb298388d';
export const SECRET_SIG = '1b47061264138c4ac30d75fd1eb44270';

/** A secret as the engine marshals it with `KeepSecrets`. */
export interface WireSecret<T> {
  [SPECIAL_SIG_KEY]: typeof SECRET_SIG;
  value: T;
}

/** Wraps a value the way the engine sends a secret. */
export function secret<T>(value: T): WireSecret<T> {
  return { [SPECIAL_SIG_KEY]: SECRET_SIG, value };
}

/**
 * Builds a resource URN (the client's `resourceUrn`). `parentType` is the qualified type of the
 * parent, for resources inside a component.
 */
export function urn(
  stack: string,
  project: string,
  type: string,
  name: string,
  parentType?: string,
): string {
  return resourceUrn({ stack, project, type, name, parentType });
}

/** JSON value accepted by `google.protobuf.Struct`. */
export type WireValue =
  null | boolean | number | string | WireValue[] | { [key: string]: WireValue };

/**
 * Prepares properties as the engine marshals them (`SkipInternalKeys`): keys starting with `__`
 * and undefined values are left out at every level; unknowns and secrets pass as their wire forms.
 */
export function toWireProperties(properties: Record<string, unknown>): Record<string, WireValue> {
  const out: Record<string, WireValue> = {};
  for (const [key, value] of Object.entries(properties)) {
    if (key.startsWith('__') || value === undefined) continue;
    out[key] = toWireValue(value);
  }
  return out;
}

function toWireValue(value: unknown): WireValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`cannot marshal the number ${value}`);
    return value;
  }
  if (Array.isArray(value)) return value.map(toWireValue);
  if (typeof value === 'object') return toWireProperties(value as Record<string, unknown>);
  throw new TypeError(`cannot marshal a value of type ${typeof value}`);
}
