import { type AuditHead, GENESIS_HASH, hashAuditEntry } from './audit-chain.js';
import { parseAuditLine } from './audit-line.js';

export type AuditProblemKind =
  | 'malformed'
  | 'edited'
  | 'reordered'
  | 'duplicated'
  | 'deleted'
  | 'truncated'
  | 'unanchored'
  | 'missing'
  /** A signed checkpoint whose signature does not verify with the trusted keys. */
  | 'forged'
  /** Entries no signed checkpoint covers, where one must. */
  | 'unsigned';

export interface AuditProblem {
  /** 1-based line number; 0 when the problem concerns the trail as a whole (its tail or files). */
  line: number;
  kind: AuditProblemKind;
  message: string;
}

export interface AuditVerification {
  ok: boolean;
  /** Lines that parsed as audit entries. */
  count: number;
  problems: AuditProblem[];
}

/**
 * Checks a hash-chained audit trail, one entry per line, oldest first. Detects edited, deleted,
 * duplicated and reordered lines; a cut at the tail is only detectable against `head`, the
 * position and hash of the last entry that the store recorded separately. Given `from`, the
 * lines continue a trail that ends at that entry (checked already): they chain on from it,
 * and are numbered after it.
 */
export function verifyAuditLines(
  lines: readonly string[],
  head?: AuditHead,
  from?: AuditHead,
): AuditVerification {
  const before = from?.seq ?? 0;
  const parsed = lines.map(parseAuditLine);
  const seqsAhead = new Map<number, number>();
  for (const p of parsed)
    if (p.ok) seqsAhead.set(p.entry.seq, (seqsAhead.get(p.entry.seq) ?? 0) + 1);
  const seenHashes = new Set<string>();
  /** Entries met ahead of their place: the chain resumes through them once the gap fills. */
  const displaced = new Map<number, string>();
  const problems: AuditProblem[] = [];
  let count = 0;
  let expectedSeq = before + 1;
  let expectedPrev: string | undefined = from?.hash ?? GENESIS_HASH;
  let last: AuditHead | undefined;
  const advancePast = (seq: number, hash: string) => {
    expectedSeq = seq + 1;
    expectedPrev = hash;
    for (
      let next = displaced.get(expectedSeq);
      next !== undefined;
      next = displaced.get(expectedSeq)
    ) {
      displaced.delete(expectedSeq);
      expectedPrev = next;
      expectedSeq += 1;
    }
  };

  parsed.forEach((p, index) => {
    const line = before + index + 1;
    if (!p.ok) {
      problems.push({ line, kind: 'malformed', message: `line ${line}: ${p.message}` });
      expectedSeq += 1;
      expectedPrev = undefined;
      return;
    }
    const { entry, raw } = p;
    count += 1;
    const seq = entry.seq;
    seqsAhead.set(seq, (seqsAhead.get(seq) ?? 1) - 1);
    last = { seq, hash: entry.hash };
    if (hashAuditEntry(raw) !== entry.hash) {
      problems.push({
        line,
        kind: 'edited',
        message: `line ${line} (seq ${seq}): content does not match its hash`,
      });
    }
    const repeated = seenHashes.has(entry.hash);
    seenHashes.add(entry.hash);
    if (repeated) {
      problems.push({
        line,
        kind: 'duplicated',
        message: `line ${line} (seq ${seq}) repeats an earlier entry`,
      });
    } else if (seq < expectedSeq) {
      problems.push({
        line,
        kind: 'reordered',
        message: `line ${line}: seq ${seq} comes after seq ${expectedSeq - 1}`,
      });
    } else if (seq > expectedSeq && (seqsAhead.get(expectedSeq) ?? 0) > 0) {
      problems.push({
        line,
        kind: 'reordered',
        message: `line ${line}: seq ${seq} comes before seq ${expectedSeq}`,
      });
      displaced.set(seq, entry.hash);
    } else if (seq > expectedSeq) {
      const gap = seq - 1 > expectedSeq ? `${expectedSeq}..${seq - 1}` : `${expectedSeq}`;
      problems.push({
        line,
        kind: 'deleted',
        message: `line ${line}: seq ${gap} missing before seq ${seq}`,
      });
      advancePast(seq, entry.hash);
    } else {
      if (expectedPrev !== undefined && entry.prevHash !== expectedPrev) {
        problems.push({
          line,
          kind: 'edited',
          message: `line ${line} (seq ${seq}): previous-hash link broken (the entry before it was altered)`,
        });
      }
      advancePast(seq, entry.hash);
    }
  });

  if (head) problems.push(...checkTail(last ?? from, head, before + lines.length));
  return { ok: problems.length === 0, count, problems };
}

function checkTail(
  last: AuditHead | undefined,
  head: AuditHead,
  lineCount: number,
): AuditProblem[] {
  const lastSeq = last?.seq ?? 0;
  const lastHash = last?.hash ?? GENESIS_HASH;
  if (lastSeq < head.seq) {
    return [
      {
        line: 0,
        kind: 'truncated',
        message: `the trail ends at seq ${lastSeq} (${lineCount} lines) but the store recorded seq ${head.seq}: entries were cut from the end`,
      },
    ];
  }
  if (lastSeq > head.seq) {
    return [
      {
        line: 0,
        kind: 'unanchored',
        message: `entries after seq ${head.seq} were not recorded by the store (appended outside it, or by a write that did not complete)`,
      },
    ];
  }
  if (lastHash !== head.hash) {
    return [
      {
        line: 0,
        kind: 'edited',
        message: `the last entry (seq ${lastSeq}) differs from the one the store recorded`,
      },
    ];
  }
  return [];
}

/**
 * Checks the text of an `audit.jsonl` file: every line must end with a newline, so a last line
 * without one (a cut inside a line) is reported as truncated.
 */
export function verifyAuditText(text: string, head?: AuditHead): AuditVerification {
  if (text === '') return verifyAuditFileLines([], '', head);
  const lines = text.split('\n');
  const tail = lines.pop() ?? '';
  return verifyAuditFileLines(lines, tail, head);
}

/**
 * `verifyAuditText` of a file read line by line: its whole `lines`, and `tail`, what follows
 * its last newline (a line cut short when not empty).
 */
export function verifyAuditFileLines(
  lines: readonly string[],
  tail: string,
  head?: AuditHead,
): AuditVerification {
  const result = verifyAuditLines(lines, head);
  if (tail === '') return result;
  const line = lines.length + 1;
  const problems: AuditProblem[] = [
    ...result.problems.filter((p) => p.line > 0),
    {
      line,
      kind: 'truncated',
      message: `line ${line} is incomplete (no final newline): the file was cut`,
    },
    ...result.problems.filter((p) => p.line === 0),
  ];
  return { ok: false, count: result.count, problems };
}
