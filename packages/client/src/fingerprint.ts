import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import { parseStackName } from './token-claims.js';

/** What a fingerprint binds: the exact sensitive state of one resource under one policy. */
export interface FingerprintInput {
  org: string;
  project: string;
  stack: string;
  urn: string;
  type: string;
  policy: string;
  material: unknown;
}

/** A secret inside material enters the fingerprint only as the hash of its value. */
export class SecretValue {
  constructor(readonly value: unknown) {}
}

export function sha256Hex(data: string): string {
  return createHash('sha256').update(data).digest('hex');
}

function redactSecrets(value: unknown): unknown {
  if (value instanceof SecretValue) {
    return { $secretSha256: sha256Hex(canonicalJson(redactSecrets(value.value))) };
  }
  if (Array.isArray(value)) return value.map(redactSecrets);
  if (value !== null && typeof value === 'object') {
    // Built with fromEntries: an assignment would turn a member named "__proto__" into the
    // object's prototype, and drop it from the fingerprint.
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => [k, redactSecrets(v)]),
    );
  }
  return value;
}

/** RFC 8785 canonical JSON (sorted keys, fixed number format). Undefined object members are dropped. */
export function canonicalJson(value: unknown): string {
  const text = canonicalize(value);
  if (text === undefined) throw new TypeError('value has no JSON representation');
  return text;
}

/** Material with secrets replaced by their hash: safe to show, store and fingerprint. */
export function redactMaterial(material: unknown): unknown {
  return redactSecrets(material);
}

/** SHA-256 (hex) of the canonical JSON of {org, project, stack, urn, type, policy, material}. */
export function fingerprint(input: FingerprintInput): string {
  return sha256Hex(
    canonicalJson({
      org: input.org,
      project: input.project,
      stack: input.stack,
      urn: input.urn,
      type: input.type,
      policy: input.policy,
      material: redactSecrets(input.material),
    }),
  );
}

/** What a request names of the change it asks for: the stack as `org/project/stack`. */
export interface RequestedChange {
  stack: string;
  urn: string;
  type: string;
  policy: string;
  material: unknown;
}

/** The fingerprint of a requested change, as the pack computed it for the same resource state. */
export function requestFingerprint(change: RequestedChange): string {
  const { urn, type, policy, material } = change;
  return fingerprint({ ...parseStackName(change.stack), urn, type, policy, material });
}
