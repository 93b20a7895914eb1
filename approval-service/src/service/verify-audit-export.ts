import { createLocalJWKSet, type JSONWebKeySet } from 'jose';
import {
  trailHashes,
  verifyAnchoredCheckpoints,
  verifyCheckpointLines,
} from '../audit/verify-checkpoints.js';
import { verifyAuditLines, type AuditProblem } from '../domain/audit-verify.js';
import type { AuditDirVerification } from './verify-audit-dir.js';

/** An export (`GET /v1/audit/export`) taken apart: trail lines, checkpoints, their keys. */
export interface AuditExportParts {
  /** The audit entries' lines, as exported. */
  trail: string[];
  /** The compact JWS of each signed checkpoint, in order. */
  checkpoints: string[];
  /** The public keys the export says signed them. */
  keys?: JSONWebKeySet;
}

function asObject(line: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(line);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** Splits an export's lines; a line that is neither a checkpoint nor the keys is a trail line. */
export function splitAuditExport(text: string): AuditExportParts {
  const parts: AuditExportParts = { trail: [], checkpoints: [] };
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const value = asObject(line);
    const jws = (value?.checkpoint as { jws?: unknown } | undefined)?.jws;
    const keys = value?.checkpointKeys as { keys?: unknown } | undefined;
    if (typeof jws === 'string' && Object.keys(value ?? {}).length === 1) {
      parts.checkpoints.push(jws);
    } else if (Array.isArray(keys?.keys) && Object.keys(value ?? {}).length === 1) {
      parts.keys = keys as JSONWebKeySet;
    } else {
      parts.trail.push(line);
    }
  }
  return parts;
}

export interface AuditExportOptions {
  /** Check the checkpoints with these keys only, not with those the export carries. */
  jwks?: JSONWebKeySet | undefined;
  /** Checkpoints an anchor kept, as compact JWS: the export must reach each one. */
  anchored?: readonly string[];
}

/**
 * Verifies an audit export on its own: the hash chain of its entries, and the signed
 * checkpoints it carries, checked with the keys it carries or only with `jwks`. At least one
 * checkpoint must cover the trail, and its unsigned tail may not be longer than the service's
 * signing interval allows: whoever edits an export can re-hash the chain, not sign.
 */
export function verifyAuditExport(
  text: string,
  options: AuditExportOptions = {},
): Promise<AuditDirVerification> {
  return verifyAuditParts(splitAuditExport(text), options, { keys: 'export' });
}

/** Where the parts come from, for the verification's report. */
export interface PartsSource {
  /** Whose keys `parts.keys` are. */
  keys: 'export' | 'database';
  /** Names the `n`th checkpoint (from 1) in messages (default: lines of the checkpoint file). */
  where?: (n: number) => string;
}

/**
 * Verifies a trail and its checkpoints as `verifyAuditExport` does, whether they came from an
 * export or from the store that keeps them (`verifyAuditStore`).
 */
export async function verifyAuditParts(
  parts: AuditExportParts,
  options: AuditExportOptions,
  source: PartsSource,
): Promise<AuditDirVerification> {
  const result = verifyAuditLines(parts.trail);
  const problems: AuditProblem[] = [...result.problems];
  const anchored = options.anchored ?? [];
  const keys = options.jwks ?? parts.keys;
  if (!keys) {
    const message = `the ${source.keys} carries no checkpoint keys, so its signatures cannot be checked: give the service's public keys (--jwks FILE)`;
    problems.push({ line: 0, kind: 'missing', message });
    return { ok: false, count: result.count, problems };
  }
  let keySet;
  try {
    keySet = createLocalJWKSet(keys);
  } catch {
    const message = 'the keys given are not a usable JSON Web Key Set';
    problems.push({ line: 0, kind: 'missing', message });
    return { ok: false, count: result.count, problems };
  }
  const hashes = trailHashes(parts.trail);
  let lastSeq = 0;
  for (const seq of hashes.keys()) lastSeq = Math.max(lastSeq, seq);
  const signed = await verifyCheckpointLines(parts.checkpoints, { hashes, lastSeq }, keySet, {
    required: true,
    ...(source.where && { where: source.where }),
  });
  problems.push(
    ...signed.problems,
    ...(await verifyAnchoredCheckpoints(anchored, { hashes, lastSeq }, keySet)),
  );
  return {
    ok: problems.length === 0,
    count: result.count,
    problems,
    signatures: {
      keys: options.jwks ? 'given' : source.keys,
      checkpoints: signed.count,
      signedThrough: signed.signedThrough,
      unsigned: signed.unsigned,
      notes: signed.notes,
    },
  };
}
