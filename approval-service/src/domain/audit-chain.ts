import { canonicalJson, sha256Hex } from '@clearance/client';
import type { AuditEntry, AuditEvent } from './model.js';

/** The `prevHash` of the first entry of a trail. */
export const GENESIS_HASH = '0'.repeat(64);

/** Where a trail ends: the last entry's position and hash. */
export interface AuditHead {
  seq: number;
  hash: string;
}

/** The hash an entry must carry: SHA-256 of the canonical JSON of every field but `hash`. */
export function hashAuditEntry(entry: object): string {
  const { hash: _ignored, ...body } = entry as Record<string, unknown>;
  return sha256Hex(canonicalJson(body));
}

/** Chains `event` after `prev` (or at the start of the trail when `prev` is undefined). */
export function chainEntry(prev: AuditHead | undefined, event: AuditEvent): AuditEntry {
  const body: Omit<AuditEntry, 'hash'> = {
    seq: prev ? prev.seq + 1 : 1,
    prevHash: prev ? prev.hash : GENESIS_HASH,
    time: event.time,
    actor: event.actor,
    action: event.action,
    subject: event.subject,
    // Stored as hashed: the canonical JSON round trip drops undefined members and detaches the copy.
    ...(event.data === undefined
      ? {}
      : { data: JSON.parse(canonicalJson(event.data)) as Record<string, unknown> }),
  };
  return { ...body, hash: hashAuditEntry(body) };
}

/** Chains several events in order after `prev`. */
export function chainEntries(prev: AuditHead | undefined, events: AuditEvent[]): AuditEntry[] {
  const out: AuditEntry[] = [];
  let head = prev;
  for (const event of events) {
    const entry = chainEntry(head, event);
    out.push(entry);
    head = entry;
  }
  return out;
}
