import type { JWTVerifyGetKey } from 'jose';
import { isClearanceError } from '@clearance/client';
import { parseAuditLine } from '../domain/audit-line.js';
import {
  CHECKPOINT_FILE,
  checkpointDigest,
  FIRST_CHECKPOINT_PREV,
  verifyCheckpoint,
} from './checkpoint.js';
import type { AuditProblem } from '../domain/audit-verify.js';

/** What the checkpoints say about a trail. */
export interface CheckpointVerification {
  problems: AuditProblem[];
  /** Findings that are no failure, e.g. entries not signed yet. */
  notes: string[];
  /** Checkpoints whose signature verified. */
  count: number;
  /** The seq the last valid checkpoint signs (0 when none). */
  signedThrough: number;
  /** Entries after it: protected by the hash chain only. */
  unsigned: number;
}

/** The recorded hash of each entry of a trail, by seq (the first line of a seq wins). */
export function trailHashes(lines: readonly string[]): Map<number, string> {
  const hashes = new Map<number, string>();
  for (const line of lines) {
    const parsed = parseAuditLine(line);
    if (parsed.ok && !hashes.has(parsed.entry.seq)) hashes.set(parsed.entry.seq, parsed.entry.hash);
  }
  return hashes;
}

/**
 * Checks the lines of `audit-checkpoints.log` (or the checkpoints a store keeps) against a trail: each must verify with `keys`,
 * follow the one before (`prev`), never go back, and sign an entry the trail holds with the
 * same hash. A trail re-hashed without the key thus fails at the first checkpoint after the
 * change; a trail cut below a checkpoint fails too. With `required`, a trail no checkpoint
 * covers, or whose unsigned tail is longer than twice the signing interval, fails.
 */
export async function verifyCheckpointLines(
  lines: readonly string[],
  trail: { hashes: ReadonlyMap<number, string>; lastSeq: number },
  keys: JWTVerifyGetKey,
  options: {
    required: boolean;
    /** Names the `n`th checkpoint (from 1) in messages (default: lines of the checkpoint file). */
    where?: (n: number) => string;
  },
): Promise<CheckpointVerification> {
  const problems: AuditProblem[] = [];
  const notes: string[] = [];
  const problem = (kind: AuditProblem['kind'], message: string) =>
    problems.push({ line: 0, kind, message });
  let prev = FIRST_CHECKPOINT_PREV;
  let count = 0;
  let signedThrough = 0;
  let every: number | undefined;
  for (const [index, line] of lines.entries()) {
    const where = options.where?.(index + 1) ?? `${CHECKPOINT_FILE} line ${index + 1}`;
    const expectedPrev = prev;
    prev = checkpointDigest(line);
    let checkpoint;
    try {
      checkpoint = await verifyCheckpoint(line, keys);
    } catch (err) {
      problem('forged', `${where}: ${isClearanceError(err) ? err.message : String(err)}`);
      continue;
    }
    count += 1;
    if (checkpoint.prev !== expectedPrev) {
      problem(
        'deleted',
        `${where} does not follow the line before it: a checkpoint was removed, inserted or reordered`,
      );
    }
    const { seq } = checkpoint;
    const hash = trail.hashes.get(seq);
    if (seq < signedThrough) {
      problem(
        'reordered',
        `${where} signs seq ${seq}, behind an earlier checkpoint (seq ${signedThrough})`,
      );
      continue;
    }
    if (seq > trail.lastSeq) {
      problem(
        'truncated',
        `${where} signs seq ${seq}, but the trail ends at seq ${trail.lastSeq}: entries were cut from the end`,
      );
    } else if (seq > 0 && hash === undefined) {
      problem('deleted', `${where} signs seq ${seq}, which the trail does not hold`);
    } else if (seq > 0 && hash !== checkpoint.hash) {
      problem(
        'edited',
        `the entry seq ${seq} differs from the one ${where} signed: the trail was rewritten after it was signed`,
      );
    }
    if (seq - signedThrough > 2 * checkpoint.every) {
      notes.push(
        `${where} signed ${seq - signedThrough} entries at once (seq ${signedThrough + 1}..${seq}): until then only the hash chain protected them`,
      );
    }
    signedThrough = seq;
    every = checkpoint.every;
  }
  const unsigned = Math.max(0, trail.lastSeq - signedThrough);
  if (options.required && trail.lastSeq > 0 && count === 0) {
    problem(
      'unsigned',
      `no signed checkpoint covers the trail's ${trail.lastSeq} entries: anyone who can write the data directory could have rewritten them`,
    );
  } else if (options.required && every !== undefined && unsigned > 2 * every) {
    problem(
      'unsigned',
      `${unsigned} entries after the last signed checkpoint (seq ${signedThrough}), but the service signs at least every ${every}: checkpoints are missing`,
    );
  } else if (unsigned > 0 && count > 0) {
    notes.push(
      `the last ${unsigned} entries (seq ${signedThrough + 1}..${trail.lastSeq}) are not signed yet: only the hash chain protects them until the next checkpoint`,
    );
  }
  return { problems, notes, count, signedThrough, unsigned };
}

/**
 * Checks checkpoints kept outside the data directory (what an anchor webhook received) against
 * the trail: each must verify with `keys` and sign an entry the trail holds, with the same
 * hash. So a tail cut off together with its checkpoints fails too.
 */
export async function verifyAnchoredCheckpoints(
  anchored: readonly string[],
  trail: { hashes: ReadonlyMap<number, string>; lastSeq: number },
  keys: JWTVerifyGetKey,
): Promise<AuditProblem[]> {
  const problems: AuditProblem[] = [];
  for (const [index, jws] of anchored.entries()) {
    const where = `anchored checkpoint ${index + 1}`;
    let checkpoint;
    try {
      checkpoint = await verifyCheckpoint(jws, keys);
    } catch (err) {
      const message = `${where}: ${isClearanceError(err) ? err.message : String(err)}`;
      problems.push({ line: 0, kind: 'forged', message });
      continue;
    }
    const { seq } = checkpoint;
    if (seq > trail.lastSeq) {
      problems.push({
        line: 0,
        kind: 'truncated',
        message: `${where} signs seq ${seq}, but the trail ends at seq ${trail.lastSeq}: entries were cut from the end, with their checkpoints`,
      });
    } else if (seq > 0 && trail.hashes.get(seq) !== checkpoint.hash) {
      problems.push({
        line: 0,
        kind: 'edited',
        message: `the entry seq ${seq} differs from the one ${where} signed`,
      });
    }
  }
  return problems;
}
