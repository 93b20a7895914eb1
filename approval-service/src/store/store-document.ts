import { z } from 'zod';
import { ClearanceError } from '../client/errors.js';
import { type AuditHead, GENESIS_HASH } from '../audit/chain.js';
import type { StoredRequest } from '../domain/model.js';

/** Files of a store's data directory. */
export const DB_FILE = 'db.json';
export const AUDIT_FILE = 'audit.jsonl';
export const LOCK_FILE = 'store.lock';

/** The content of `db.json`: every request and the head of the audit trail. */
export interface StoreDocument {
  version: 1;
  requests: StoredRequest[];
  /** Last entry of `audit.jsonl` that a committed change wrote ({seq: 0, hash: GENESIS_HASH} when none). */
  audit: AuditHead;
}

export function emptyStoreDocument(): StoreDocument {
  return { version: 1, requests: [], audit: { seq: 0, hash: GENESIS_HASH } };
}

const text = z.string().min(1);
const requestSchema = z.looseObject({
  id: text,
  stack: text,
  urn: text,
  type: z.string(),
  policy: text,
  fingerprint: text,
  status: z.enum(['pending', 'approved', 'denied', 'expired', 'revoked']),
  requirements: z.looseObject({}),
  reviews: z.array(z.unknown()),
  runs: z.array(z.unknown()),
  createdAt: text,
  pendingExpiresAt: text,
});

const documentSchema = z.object({
  version: z.literal(1),
  requests: z.array(requestSchema),
  audit: z.object({
    seq: z.number().int().min(0),
    hash: z.string().regex(/^[0-9a-f]{64}$/),
  }),
});

/** Validates parsed `db.json`; anything else is ERR_STORE_CORRUPT naming the file. */
export function parseStoreDocument(value: unknown, path: string): StoreDocument {
  const parsed = documentSchema.safeParse(value);
  const corrupt = (what: string) =>
    new ClearanceError(
      'ERR_STORE_CORRUPT',
      `${path} is corrupt: ${what}. It was left untouched; restore it from a backup.`,
      { file: path },
    );
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw corrupt(`${issue?.path.join('.') || 'document'}: ${issue?.message ?? 'invalid'}`);
  }
  const ids = new Set<string>();
  for (const request of parsed.data.requests) {
    if (ids.has(request.id)) throw corrupt(`request ${request.id} appears twice`);
    ids.add(request.id);
  }
  if (parsed.data.audit.seq === 0 && parsed.data.audit.hash !== GENESIS_HASH) {
    throw corrupt('audit head at seq 0 must carry the genesis hash');
  }
  return parsed.data as unknown as StoreDocument;
}
