import { z } from 'zod';
import { ClearanceError } from '@clearance/client';
import { type AuditHead, GENESIS_HASH } from '../domain/audit-chain.js';
import type { StoredRequest } from '../domain/model.js';

/** Files of a store's data directory. */
export const DB_FILE = 'db.json';
export const JOURNAL_FILE = 'journal.jsonl';
export const AUDIT_FILE = 'audit.jsonl';
export const LOCK_FILE = 'store.lock';
/** Closed requests, one a line, and their index (see `RequestArchive`). */
export const ARCHIVE_FILE = 'requests.jsonl';
export const ARCHIVE_INDEX_FILE = 'requests.idx';

/**
 * The version of `db.json` this code writes: a snapshot of the requests not archived
 * (`requests.jsonl`), which `journal.jsonl` continues.
 */
export const STORE_VERSION = 3;

/**
 * The content of `db.json`: the requests not archived and the head of the audit trail as of
 * the last compaction; `journal.jsonl` holds the changes since. Version 1 was written before
 * the journal existed, version 2 before the archive (it holds every request): both are
 * upgraded on open.
 */
export interface StoreDocument {
  version: 1 | 2 | typeof STORE_VERSION;
  requests: StoredRequest[];
  /** Last entry of `audit.jsonl` that a committed change wrote ({seq: 0, hash: GENESIS_HASH} when none). */
  audit: AuditHead;
}

export function emptyStoreDocument(): StoreDocument {
  return { version: STORE_VERSION, requests: [], audit: { seq: 0, hash: GENESIS_HASH } };
}

const text = z.string().min(1);
/** The fields a stored request must have (others are kept as they are). */
export const storedRequestSchema = z.looseObject({
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

export const auditHeadSchema = z.object({
  seq: z.number().int().min(0),
  hash: z.string().regex(/^[0-9a-f]{64}$/),
});

const documentSchema = z.object({
  version: z.union([z.literal(1), z.literal(2), z.literal(STORE_VERSION)]),
  requests: z.array(storedRequestSchema),
  audit: auditHeadSchema,
});

const statuses = new Set<unknown>(storedRequestSchema.shape.status.options);
const isText = (value: unknown) => typeof value === 'string' && value.length > 0;
const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Whether `value` is a request as `storedRequestSchema` accepts it, checked without copying it. */
export function isStoredRequest(value: unknown): boolean {
  if (!isRecord(value)) return false;
  const r = value;
  return (
    isText(r.id) &&
    isText(r.stack) &&
    isText(r.urn) &&
    typeof r.type === 'string' &&
    isText(r.policy) &&
    isText(r.fingerprint) &&
    statuses.has(r.status) &&
    isRecord(r.requirements) &&
    Array.isArray(r.reviews) &&
    Array.isArray(r.runs) &&
    isText(r.createdAt) &&
    isText(r.pendingExpiresAt)
  );
}

/**
 * `documentSchema`'s answer for a document it accepts, reached without copying every request
 * (a large store's start would otherwise hold each twice); undefined when anything is off, so
 * that the schema, run whole, says what.
 */
function plainDocument(value: unknown): StoreDocument | undefined {
  if (!isRecord(value)) return undefined;
  const { version, requests, audit } = value;
  if (version !== 1 && version !== 2 && version !== STORE_VERSION) return undefined;
  if (!Array.isArray(requests) || !requests.every(isStoredRequest)) return undefined;
  const head = auditHeadSchema.safeParse(audit);
  if (!head.success) return undefined;
  return { version, requests: requests as StoredRequest[], audit: head.data };
}

/** Validates parsed `db.json`; anything else is ERR_STORE_CORRUPT naming the file. */
export function parseStoreDocument(value: unknown, path: string): StoreDocument {
  const plain = plainDocument(value);
  const parsed = plain
    ? ({ success: true, data: plain } as const)
    : documentSchema.safeParse(value);
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
