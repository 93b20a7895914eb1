import { z } from 'zod';
import type { AuditEntry } from './model.js';

const hex64 = z.string().regex(/^[0-9a-f]{64}$/, 'expected 64 lowercase hex digits');

/** The fields every audit line must carry; unknown fields are kept so that the hash covers them. */
export const auditLineSchema = z.looseObject({
  seq: z.number().int().min(1),
  prevHash: hex64,
  hash: hex64,
  time: z.string().min(1),
  actor: z.string(),
  action: z.string().min(1),
  subject: z.string(),
  data: z.record(z.string(), z.unknown()).optional(),
});

export type ParsedAuditLine =
  { ok: true; entry: AuditEntry; raw: Record<string, unknown> } | { ok: false; message: string };

/** Parses one line of `audit.jsonl`; `raw` is the object exactly as written (for hashing). */
export function parseAuditLine(line: string): ParsedAuditLine {
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch {
    return { ok: false, message: 'not valid JSON' };
  }
  const parsed = auditLineSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
    return { ok: false, message: `not an audit entry (${where}${issue?.message ?? 'invalid'})` };
  }
  return {
    ok: true,
    entry: parsed.data as unknown as AuditEntry,
    raw: raw as Record<string, unknown>,
  };
}

/** One entry as a line of `audit.jsonl` (without the newline). */
export function formatAuditLine(entry: AuditEntry): string {
  return JSON.stringify(entry);
}
