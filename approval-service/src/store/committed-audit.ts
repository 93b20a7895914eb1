import { ClearanceError } from '@clearance/client';
import type { AuditHead } from '../domain/audit-chain.js';
import { verifyAuditLines } from '../domain/audit-verify.js';
import type { AuditEntry } from '../domain/model.js';

export interface CommittedAudit {
  /** Entries up to the head the store committed. */
  entries: AuditEntry[];
  /** Byte length of those entries' lines: where the next append goes. */
  size: number;
  /** Bytes after them, left by a write that did not commit (to be cut off). */
  leftoverBytes: number;
  /** The whole entries among those bytes: they chain on from the head. */
  pending: AuditEntry[];
}

/**
 * Splits the content of `audit.jsonl` into the committed trail and what an interrupted write
 * left after it. Leftovers may only be whole entries chaining on from the head, possibly
 * followed by one incomplete line; anything else, or a trail that does not reach the head, is
 * ERR_STORE_CORRUPT.
 */
export function readCommittedAudit(content: Buffer, head: AuditHead, name: string): CommittedAudit {
  const corrupt = (what: string) =>
    new ClearanceError(
      'ERR_STORE_CORRUPT',
      `${name} is corrupt: ${what}. It was left untouched; run \`clearance audit verify\` for details.`,
      { file: name },
    );
  const lines = content.toString('utf8').split('\n');
  lines.pop(); // the part after the last newline: empty, or a line an interrupted write left unfinished
  const check = verifyAuditLines(lines);
  const first = check.problems[0];
  if (first) throw corrupt(first.message);
  if (lines.length < head.seq) {
    throw corrupt(`it ends at seq ${lines.length} but the store recorded seq ${head.seq}`);
  }
  const committed = lines.slice(0, head.seq);
  const entries = committed.map((line) => JSON.parse(line) as AuditEntry);
  const pending = lines.slice(head.seq).map((line) => JSON.parse(line) as AuditEntry);
  const last = entries.at(-1);
  if (last && last.hash !== head.hash) {
    throw corrupt(`entry ${head.seq} differs from the one the store recorded`);
  }
  const size = committed.reduce((sum, line) => sum + Buffer.byteLength(line, 'utf8') + 1, 0);
  return { entries, size, leftoverBytes: content.length - size, pending };
}
