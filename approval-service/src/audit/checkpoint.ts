import {
  compactVerify,
  decodeProtectedHeader,
  errors as joseErrors,
  type JWTVerifyGetKey,
} from 'jose';
import { z } from 'zod';
import { APPROVAL_TOKEN_ALG, ClearanceError } from '@clearance/client';
import { canonicalJson, sha256Hex } from '@clearance/client';
import type { JwsSigner } from '../tokens/approval-signer.js';
import { GENESIS_HASH, type AuditHead } from '../domain/audit-chain.js';

/** Files of the data directory: the signed checkpoints, one compact JWS per line, and their keys. */
export const CHECKPOINT_FILE = 'audit-checkpoints.log';
export const CHECKPOINT_KEYS_FILE = 'audit-keys.json';

/** Pinned JOSE header `typ` of a checkpoint. */
export const CHECKPOINT_TYP = 'clearance-audit-checkpoint+jws';

/** The `prev` of the first checkpoint of a trail. */
export const FIRST_CHECKPOINT_PREV = GENESIS_HASH;

const hex64 = z.string().regex(/^[0-9a-f]{64}$/);

/**
 * What a checkpoint signs: the head of the trail (`seq`, `hash` of its last entry) at `time`,
 * the interval the service signs at (`every`), and `prev`, the SHA-256 of the previous
 * checkpoint's compact JWS (all zeros for the first), so that checkpoints form a chain too.
 */
export const checkpointPayloadSchema = z
  .object({
    v: z.literal(1),
    seq: z.number().int().min(0),
    hash: hex64,
    time: z.iso.datetime(),
    every: z.number().int().min(1),
    prev: hex64,
  })
  .strict();
export type CheckpointPayload = z.infer<typeof checkpointPayloadSchema>;

/** A signed checkpoint as the service writes it and the anchor webhook receives it. */
export interface SignedCheckpoint extends CheckpointPayload {
  kid: string;
  jws: string;
}

/** What the next checkpoint's `prev` holds: the SHA-256 of this one's compact JWS. */
export function checkpointDigest(jws: string): string {
  return sha256Hex(jws);
}

/** The payload of the checkpoint after `previous` (or the first) for `head`. */
export function nextCheckpoint(
  head: AuditHead,
  previous: string | undefined,
  at: Date,
  every: number,
): CheckpointPayload {
  return {
    v: 1,
    seq: head.seq,
    hash: head.hash,
    time: at.toISOString(),
    every,
    prev: previous === undefined ? FIRST_CHECKPOINT_PREV : checkpointDigest(previous),
  };
}

/** Signs a checkpoint: its canonical JSON (RFC 8785) as the payload of an EdDSA compact JWS. */
export async function signCheckpoint(
  payload: CheckpointPayload,
  signer: JwsSigner,
): Promise<SignedCheckpoint> {
  const bytes = new TextEncoder().encode(canonicalJson(payload));
  const jws = await signer.signJws(CHECKPOINT_TYP, bytes);
  return { ...payload, kid: signer.kid, jws };
}

function invalid(why: string): ClearanceError {
  return new ClearanceError('ERR_AUDIT_CHECKPOINT_INVALID', why);
}

/** The key id a checkpoint's header names, when it is fit to quote. */
function kidOf(jws: string): string {
  try {
    const { kid } = decodeProtectedHeader(jws);
    return typeof kid === 'string' && /^[\w-]{1,100}$/.test(kid) ? kid : '?';
  } catch {
    return '?';
  }
}

/**
 * Verifies one checkpoint against trusted public keys: EdDSA only, the pinned `typ`, a payload
 * in canonical JSON that matches the schema. Throws ERR_AUDIT_CHECKPOINT_INVALID saying why.
 */
export async function verifyCheckpoint(
  jws: string,
  keys: JWTVerifyGetKey,
): Promise<SignedCheckpoint> {
  let verified: Awaited<ReturnType<typeof compactVerify>>;
  try {
    verified = await compactVerify(jws, keys, { algorithms: [APPROVAL_TOKEN_ALG] });
  } catch (err) {
    if (err instanceof joseErrors.JWKSNoMatchingKey) {
      throw invalid(`signed by a key that is not trusted (kid ${kidOf(jws)})`);
    }
    if (err instanceof joseErrors.JWSSignatureVerificationFailed) {
      throw invalid(`the signature does not verify (kid ${kidOf(jws)})`);
    }
    throw invalid(`not a signed checkpoint (${err instanceof Error ? err.message : String(err)})`);
  }
  const { protectedHeader, payload } = verified;
  if (protectedHeader.typ !== CHECKPOINT_TYP) throw invalid('not a checkpoint (its typ differs)');
  if (typeof protectedHeader.kid !== 'string') throw invalid('its header names no key');
  const text = new TextDecoder().decode(payload);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw invalid('its payload is not JSON');
  }
  const parsed = checkpointPayloadSchema.safeParse(value);
  if (!parsed.success || canonicalJson(parsed.data) !== text) {
    throw invalid('its payload is not a checkpoint in canonical JSON');
  }
  return { ...parsed.data, kid: protectedHeader.kid, jws };
}
