import { type FileHandle, open } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { createLocalJWKSet, type JSONWebKeySet } from 'jose';
import { isClearanceError } from '@clearance/client';
import { readCommittedTrailEnd } from '../store/committed-head.js';
import { formatAuditLine } from '../domain/audit-line.js';
import type { AuditEntry } from '../domain/model.js';
import { describeFsError, errorCodeOf } from '../files/durable-fs.js';
import { forEachLine, readerOf } from '../files/read-lines.js';
import { AUDIT_FILE, DB_FILE } from '../store/store-document.js';
import { type AuditHead, GENESIS_HASH } from '../domain/audit-chain.js';
import { CHECKPOINT_FILE, CHECKPOINT_KEYS_FILE } from '../audit/checkpoint.js';
import {
  readCheckpointFile,
  readCheckpointKeys,
  type CheckpointLines,
} from '../audit/checkpoint-files.js';
import {
  trailHashes,
  verifyAnchoredCheckpoints,
  verifyCheckpointLines,
} from '../audit/verify-checkpoints.js';
import {
  type AuditProblem,
  type AuditVerification,
  verifyAuditFileLines,
} from '../domain/audit-verify.js';

export interface AuditDirVerification extends AuditVerification {
  /**
   * The directory holds no trail at all (no `db.json`, no `audit.jsonl`, no checkpoints): there
   * is nothing to verify, which is not the same as a trail that fails.
   */
  noTrail?: true;
  /** The head the store committed (`db.json` and `journal.jsonl`), when it could be read. */
  head?: AuditHead;
  /**
   * Committed entries that `audit.jsonl` lacks and `journal.jsonl` holds in full, verified from
   * there: the last appends before a crash, which the store writes back at its next open.
   */
  fromJournal?: number;
  /** What the signed checkpoints say, when there are any or they are required. */
  signatures?: {
    /** Whose public keys they were checked with. */
    keys: 'data directory' | 'given' | 'export' | 'database';
    /** Checkpoints whose signature verified. */
    checkpoints: number;
    /** The seq the last valid checkpoint signs (0 when none). */
    signedThrough: number;
    /** Entries after it, protected by the hash chain only. */
    unsigned: number;
    /** Findings that are no failure. */
    notes: string[];
  };
}

export interface AuditDirOptions {
  /**
   * The public keys to check checkpoints with (e.g. the service's JWKS, kept apart from the
   * data directory). Default: the keys the data directory records (`audit-keys.json`), which
   * whoever can write the directory can replace.
   */
  jwks?: JSONWebKeySet | undefined;
  /** Fail a trail that no checkpoint covers, or whose unsigned tail is too long (the CLI does). */
  requireSignatures?: boolean;
  /**
   * Checkpoints kept outside the data directory, as compact JWS (what the anchor webhook
   * received): each must match the trail, which shows a tail cut off with its checkpoints.
   */
  anchored?: readonly string[];
}

const ATTEMPTS = 5;
const RETRY_DELAY_MS = 25;

type HeadRead =
  { head: AuditHead; journalEntries: AuditEntry[] } | { problem: AuditProblem } | { absent: true };

async function readHead(dataDir: string): Promise<HeadRead> {
  try {
    const end = await readCommittedTrailEnd(dataDir);
    return end ? { head: end.head, journalEntries: end.journalEntries } : { absent: true };
  } catch (err) {
    const message = `the store's record of the trail's end could not be read (${describeFsError(err)}), so the end of the trail cannot be checked`;
    return { problem: { line: 0, kind: 'missing', message } };
  }
}

/** `audit.jsonl` line by line: its whole lines, and what follows its last newline. */
interface TrailLines {
  lines: string[];
  tail: string;
}

/** Reads `audit.jsonl` a chunk at a time (no file too large to hold as one string). */
async function readTrail(dataDir: string): Promise<TrailLines | undefined> {
  let handle: FileHandle;
  try {
    handle = await open(join(dataDir, AUDIT_FILE), 'r');
  } catch (err) {
    if (errorCodeOf(err) === 'ENOENT') return undefined;
    throw err;
  }
  try {
    const lines: string[] = [];
    const { size } = await handle.stat();
    const tail = await forEachLine(readerOf(handle), size, (line) => lines.push(line) > 0);
    return { lines, tail };
  } finally {
    await handle.close();
  }
}

const sameHead = (a: HeadRead, b: HeadRead) =>
  'head' in a && 'head' in b
    ? a.head.seq === b.head.seq && a.head.hash === b.head.hash
    : 'head' in a === 'head' in b;

async function readCheckpoints(dataDir: string): Promise<CheckpointLines | AuditProblem> {
  try {
    return (await readCheckpointFile(dataDir)) ?? { lines: [], size: 0, leftoverBytes: 0 };
  } catch (err) {
    const message = `${CHECKPOINT_FILE} could not be read (${describeFsError(err)}), so the signatures cannot be checked`;
    return { line: 0, kind: 'missing', message };
  }
}

/**
 * Verifies the audit trail of a store's data directory against the head the store committed,
 * and against the signed checkpoints of the head (`audit-checkpoints.log`), whenever there are
 * any: a trail re-hashed without the service's key fails there. Read-only and safe while the
 * service runs: a read that overlaps a write is retried.
 */
export async function verifyAuditDir(
  dataDir: string,
  options: AuditDirOptions = {},
): Promise<AuditDirVerification> {
  for (let attempt = 1; ; attempt++) {
    const before = await readHead(dataDir);
    const checkpoints = await readCheckpoints(dataDir);
    const read = await readTrail(dataDir);
    const after = await readHead(dataDir);
    const trail = completedTrail(read, before);
    const judged = judge(before, trail.lines);
    const result = await withSignatures(
      trail.fromJournal > 0 ? { ...judged, fromJournal: trail.fromJournal } : judged,
      trail.lines,
      checkpoints,
      dataDir,
      options,
    );
    const settled =
      sameHead(before, after) && !result.problems.some((p) => p.kind === 'unanchored');
    if (settled || attempt >= ATTEMPTS) return result;
    await delay(RETRY_DELAY_MS);
  }
}

/**
 * The trail as committed: `audit.jsonl`'s whole lines, then, when the file ends before the
 * committed head, the entries the journal holds past them, if the first of those links to the
 * file's last line. (That the rest chain on is what the verification then checks.)
 */
function completedTrail(
  trail: TrailLines | undefined,
  read: HeadRead,
): { lines: TrailLines | undefined; fromJournal: number } {
  if (!('head' in read)) return { lines: trail, fromJournal: 0 };
  const whole = trail?.lines ?? [];
  const count = whole.length;
  if (count >= read.head.seq) return { lines: trail, fromJournal: 0 };
  const missing = read.journalEntries.filter((e) => e.seq > count && e.seq <= read.head.seq);
  if (missing[0]?.seq !== count + 1 || missing[0].prevHash !== lastHash(whole)) {
    // The file and the journal do not meet: the file was cut or edited; the check says how.
    return { lines: trail, fromJournal: 0 };
  }
  const restored = missing.map((e) => formatAuditLine(e));
  return { lines: { lines: [...whole, ...restored], tail: '' }, fromJournal: missing.length };
}

/** The hash of the last of the whole lines, when it is the entry of its line number; genesis for none. */
function lastHash(lines: readonly string[]): string | undefined {
  const line = lines.at(-1);
  if (line === undefined) return GENESIS_HASH;
  try {
    const entry = JSON.parse(line) as Partial<AuditEntry>;
    return entry.seq === lines.length && typeof entry.hash === 'string' ? entry.hash : undefined;
  } catch {
    return undefined;
  }
}

async function trustedKeys(
  dataDir: string,
  options: AuditDirOptions,
): Promise<{ keys: JSONWebKeySet } | { problem: AuditProblem }> {
  if (options.jwks) return { keys: options.jwks };
  try {
    const keys = await readCheckpointKeys(dataDir);
    if (keys) return { keys };
    const message = `${CHECKPOINT_KEYS_FILE} is missing, so the checkpoints cannot be checked: give the service's public keys (--jwks FILE)`;
    return { problem: { line: 0, kind: 'missing', message } };
  } catch (err) {
    const message = isClearanceError(err) ? err.message : String(err);
    return { problem: { line: 0, kind: 'missing', message } };
  }
}

async function withSignatures(
  result: AuditDirVerification,
  trail: TrailLines | undefined,
  checkpoints: CheckpointLines | AuditProblem,
  dataDir: string,
  options: AuditDirOptions,
): Promise<AuditDirVerification> {
  const required = options.requireSignatures ?? false;
  if (result.noTrail) {
    const { noTrail: _, ...gone } = result;
    if ('kind' in checkpoints) return withProblems(gone, [checkpoints]);
    const signed = checkpoints.lines.length + (options.anchored?.length ?? 0);
    if (signed === 0) return result;
    // Checkpoints of a trail that is gone: the trail was deleted, not never there.
    const message = `the trail is gone but ${signed} signed checkpoint${signed === 1 ? ' of it remains' : 's of it remain'}: it was deleted`;
    return withProblems(gone, [{ line: 0, kind: 'deleted', message }]);
  }
  if ('kind' in checkpoints) return withProblems(result, [checkpoints]);
  const anchored = options.anchored ?? [];
  if (checkpoints.lines.length === 0 && anchored.length === 0 && !required) return result;
  const lines = trail ? [...trail.lines, trail.tail].filter((l) => l.length > 0) : [];
  const hashes = trailHashes(lines);
  let lastSeq = 0;
  for (const seq of hashes.keys()) lastSeq = Math.max(lastSeq, seq);
  let keySet = createLocalJWKSet({ keys: [] });
  if (checkpoints.lines.length > 0 || anchored.length > 0) {
    const trusted = await trustedKeys(dataDir, options);
    if ('problem' in trusted) return withProblems(result, [trusted.problem]);
    try {
      keySet = createLocalJWKSet(trusted.keys);
    } catch {
      const message = 'the keys given are not a usable JSON Web Key Set';
      return withProblems(result, [{ line: 0, kind: 'missing', message }]);
    }
  }
  const signed = await verifyCheckpointLines(checkpoints.lines, { hashes, lastSeq }, keySet, {
    required,
  });
  const fromAnchor = await verifyAnchoredCheckpoints(anchored, { hashes, lastSeq }, keySet);
  const notes = [...signed.notes];
  if (checkpoints.leftoverBytes > 0) {
    notes.push(`${CHECKPOINT_FILE} ends with an unfinished line (an interrupted write), ignored`);
  }
  return {
    ...withProblems(result, [...signed.problems, ...fromAnchor]),
    signatures: {
      keys: options.jwks ? 'given' : 'data directory',
      checkpoints: signed.count,
      signedThrough: signed.signedThrough,
      unsigned: signed.unsigned,
      notes,
    },
  };
}

function withProblems(result: AuditDirVerification, more: AuditProblem[]): AuditDirVerification {
  if (more.length === 0) return result;
  const problems = [...result.problems, ...more];
  return { ...result, ok: false, problems };
}

function judge(read: HeadRead, trail: TrailLines | undefined): AuditDirVerification {
  if ('absent' in read && trail === undefined) {
    const message = `no audit trail here: neither ${DB_FILE} nor ${AUDIT_FILE} exists, so this is not a store's data directory`;
    return {
      ok: false,
      noTrail: true,
      count: 0,
      problems: [{ line: 0, kind: 'missing', message }],
    };
  }
  const head = 'head' in read ? read.head : undefined;
  const result = verifyAuditFileLines(trail?.lines ?? [], trail?.tail ?? '', head);
  const extra: AuditProblem[] = [];
  if ('problem' in read) extra.push(read.problem);
  if ('absent' in read) {
    extra.push({
      line: 0,
      kind: 'missing',
      message: `${DB_FILE} is missing, so the end of the trail cannot be checked`,
    });
  }
  const problems = [...extra, ...result.problems];
  return { ok: problems.length === 0, count: result.count, problems, ...(head ? { head } : {}) };
}
