import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { readCommittedHead } from '../store/committed-head.js';
import { describeFsError, errorCodeOf } from '../store/durable-fs.js';
import { AUDIT_FILE, DB_FILE } from '../store/store-document.js';
import type { AuditHead } from './chain.js';
import { type AuditProblem, type AuditVerification, verifyAuditText } from './verify.js';

export interface AuditDirVerification extends AuditVerification {
  /** The head the store committed (`db.json` and `journal.jsonl`), when it could be read. */
  head?: AuditHead;
}

const ATTEMPTS = 5;
const RETRY_DELAY_MS = 25;

type HeadRead = { head: AuditHead } | { problem: AuditProblem } | { absent: true };

async function readHead(dataDir: string): Promise<HeadRead> {
  try {
    const head = await readCommittedHead(dataDir);
    return head ? { head } : { absent: true };
  } catch (err) {
    const message = `the store's record of the trail's end could not be read (${describeFsError(err)}), so the end of the trail cannot be checked`;
    return { problem: { line: 0, kind: 'missing', message } };
  }
}

async function readTrail(dataDir: string): Promise<string | undefined> {
  try {
    return await readFile(join(dataDir, AUDIT_FILE), 'utf8');
  } catch (err) {
    if (errorCodeOf(err) === 'ENOENT') return undefined;
    throw err;
  }
}

const sameHead = (a: HeadRead, b: HeadRead) =>
  'head' in a && 'head' in b
    ? a.head.seq === b.head.seq && a.head.hash === b.head.hash
    : 'head' in a === 'head' in b;

/**
 * Verifies the audit trail of a store's data directory against the head the store committed.
 * Read-only and safe while the service runs: a read that overlaps a write is retried.
 */
export async function verifyAuditDir(dataDir: string): Promise<AuditDirVerification> {
  for (let attempt = 1; ; attempt++) {
    const before = await readHead(dataDir);
    const text = await readTrail(dataDir);
    const after = await readHead(dataDir);
    const result = judge(before, text);
    const settled =
      sameHead(before, after) && !result.problems.some((p) => p.kind === 'unanchored');
    if (settled || attempt >= ATTEMPTS) return result;
    await delay(RETRY_DELAY_MS);
  }
}

function judge(read: HeadRead, text: string | undefined): AuditDirVerification {
  if ('absent' in read && text === undefined) {
    const message = `neither ${DB_FILE} nor ${AUDIT_FILE} exists: this is not a store's data directory`;
    return { ok: false, count: 0, problems: [{ line: 0, kind: 'missing', message }] };
  }
  const head = 'head' in read ? read.head : undefined;
  const result = verifyAuditText(text ?? '', head);
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
