import { type AuditHead, GENESIS_HASH } from '../domain/audit-chain.js';
import { verifyAuditLines } from '../domain/audit-verify.js';
import type { AuditEntry } from '../domain/model.js';
import { type AuditFileTail, auditCorrupt } from './audit-file.js';

export interface CommittedAudit {
  /** Byte length of the file's committed lines: where `restored`, or the next append, goes. */
  size: number;
  /** Bytes after them, left by a write that did not commit (to be cut off). */
  leftoverBytes: number;
  /** The whole entries among those bytes: they chain on from the head. */
  pending: AuditEntry[];
  /** Committed entries the file lacks, from the journal: to append at `size`. */
  restored: AuditEntry[];
}

/**
 * Splits what an open read of `audit.jsonl` (`readAuditTail`: the lines after the last signed
 * checkpoint, or all of them) into the committed trail and what an interrupted write left
 * after it. The lines must chain on from where they start, and leftovers may only be whole
 * entries chaining on from the head, possibly followed by one incomplete line. A file that
 * ends before the head (its last appends had not reached the disk) is completed from `held`,
 * the entries the journal holds in full, which must run on from where the file ends; anything
 * else, or a trail that the journal cannot complete, is ERR_STORE_CORRUPT. Lines before the
 * checkpoint are not read: `clearance audit verify` checks the whole trail.
 */
export function readCommittedAudit(
  tail: AuditFileTail,
  head: AuditHead,
  name: string,
  held: readonly AuditEntry[] = [],
): CommittedAudit {
  const corrupt = (what: string) => auditCorrupt(name, what);
  const lines = tail.text.toString('utf8').split('\n');
  lines.pop(); // the part after the last newline: empty, or a line an interrupted write left unfinished
  const base = tail.from.seq;
  const check = verifyAuditLines(lines, undefined, base > 0 ? tail.from : undefined);
  const first = check.problems[0];
  if (first) throw corrupt(first.message);
  const committed = lines.slice(0, head.seq - base);
  const pending = lines.slice(committed.length).map((line) => JSON.parse(line) as AuditEntry);
  const fileEnd = base + committed.length;
  const restored = held.filter((e) => e.seq > fileEnd);
  const lastLine = committed.at(-1);
  const last: AuditHead | undefined = lastLine
    ? (JSON.parse(lastLine) as AuditEntry)
    : base > 0
      ? tail.from
      : undefined;
  if (fileEnd + restored.length < head.seq) {
    throw corrupt(`it ends at seq ${base + lines.length} but the store recorded seq ${head.seq}`);
  }
  // The chain links each entry to the one before: where the file and the journal meet, one
  // hash shows that the whole file is the trail the journal continues.
  const meets = restored[0]
    ? restored[0].prevHash === (last?.hash ?? GENESIS_HASH)
    : !last || last.hash === head.hash;
  const heldLast = held.find((e) => e.seq === fileEnd);
  if (!meets || (heldLast && heldLast.hash !== last?.hash)) {
    throw corrupt(`entry ${fileEnd} differs from the one the store recorded`);
  }
  const size =
    tail.offset + committed.reduce((sum, line) => sum + Buffer.byteLength(line, 'utf8') + 1, 0);
  return { size, leftoverBytes: tail.offset + tail.text.length - size, pending, restored };
}
