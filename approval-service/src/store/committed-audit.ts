import { ClearanceError } from '@clearance/client';
import { type AuditHead, GENESIS_HASH } from '../domain/audit-chain.js';
import { parseAuditLine } from '../domain/audit-line.js';
import { verifyAuditLines } from '../domain/audit-verify.js';
import type { AuditEntry } from '../domain/model.js';

export interface CommittedAudit {
  /** Entries up to the head the store committed (those restored from the journal too). */
  entries: AuditEntry[];
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
 * The entry the lines before it may be taken as checked at: `trusted` (the last signed
 * checkpoint, its signature verified) when the file holds it and the store's head is not
 * before it. The line at its seq must be that very entry, whole, or the file is corrupt. Else
 * undefined: the whole file is verified.
 */
function trustedPrefix(
  lines: readonly string[],
  trusted: AuditHead,
  head: AuditHead,
  corrupt: (what: string) => ClearanceError,
): AuditHead | undefined {
  if (trusted.seq === 0 || trusted.seq > lines.length || trusted.seq > head.seq) return undefined;
  const parsed = parseAuditLine(lines[trusted.seq - 1]!);
  if (!parsed.ok || parsed.entry.seq !== trusted.seq || parsed.entry.hash !== trusted.hash) {
    throw corrupt(`entry ${trusted.seq} differs from the one the last signed checkpoint signed`);
  }
  return trusted;
}

/**
 * Splits the content of `audit.jsonl` into the committed trail and what an interrupted write
 * left after it. Leftovers may only be whole entries chaining on from the head, possibly
 * followed by one incomplete line. A file that ends before the head (its last appends had not
 * reached the disk) is completed from `held`, the entries the journal holds in full, which
 * must run on from where the file ends; anything else, or a trail that the journal cannot
 * complete, is ERR_STORE_CORRUPT. Given `trusted`, the last signed checkpoint, the lines up to
 * it are only parsed, and only those after it have their hashes and links checked (see
 * `trustedPrefix`): `clearance audit verify` checks the whole trail.
 */
export function readCommittedAudit(
  content: Buffer,
  head: AuditHead,
  name: string,
  held: readonly AuditEntry[] = [],
  trusted?: AuditHead,
): CommittedAudit {
  const corrupt = (what: string) =>
    new ClearanceError(
      'ERR_STORE_CORRUPT',
      `${name} is corrupt: ${what}. It was left untouched; run \`clearance audit verify\` for details.`,
      { file: name },
    );
  const lines = content.toString('utf8').split('\n');
  lines.pop(); // the part after the last newline: empty, or a line an interrupted write left unfinished
  const from = trusted && trustedPrefix(lines, trusted, head, corrupt);
  const check = verifyAuditLines(from ? lines.slice(from.seq) : lines, undefined, from);
  const first = check.problems[0];
  if (first) throw corrupt(first.message);
  const committed = lines.slice(0, head.seq);
  const entries = committed.map((line, i) => {
    try {
      return JSON.parse(line) as AuditEntry;
    } catch {
      throw corrupt(`line ${i + 1}: not valid JSON`);
    }
  });
  const pending = lines.slice(head.seq).map((line) => JSON.parse(line) as AuditEntry);
  const restored = held.filter((e) => e.seq > committed.length);
  const last = entries.at(-1);
  if (committed.length + restored.length < head.seq) {
    throw corrupt(`it ends at seq ${lines.length} but the store recorded seq ${head.seq}`);
  }
  // The chain links each entry to the one before: where the file and the journal meet, one
  // hash shows that the whole file is the trail the journal continues.
  const meets = restored[0]
    ? restored[0].prevHash === (last?.hash ?? GENESIS_HASH)
    : !last || last.hash === head.hash;
  const heldLast = held.find((e) => e.seq === committed.length);
  if (!meets || (heldLast && heldLast.hash !== last?.hash)) {
    throw corrupt(`entry ${committed.length} differs from the one the store recorded`);
  }
  const size = committed.reduce((sum, line) => sum + Buffer.byteLength(line, 'utf8') + 1, 0);
  return {
    entries: [...entries, ...restored],
    size,
    leftoverBytes: content.length - size,
    pending,
    restored,
  };
}
