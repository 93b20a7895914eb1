import { formatAuditLine } from '../domain/audit-line.js';
import type { CheckpointRecords } from '../domain/checkpoint-records.js';
import type { Store } from '../store/store.js';
import type { AuditDirVerification } from './verify-audit-dir.js';
import { verifyAuditParts, type AuditExportOptions } from './verify-audit-export.js';

/**
 * Verifies the audit trail a shared store keeps (PostgreSQL) against the signed checkpoints
 * and keys it keeps beside it, as an export is verified: the hash chain, and at least one
 * checkpoint covering the trail, checked with the keys the database records or only with
 * `jwks`. Read-only and safe while the service runs: the checkpoints are read before the
 * entries, so each one read signs an entry that is read too.
 */
export async function verifyAuditStore(
  store: Pick<Store, 'readAudit'> & { checkpoints: CheckpointRecords },
  options: AuditExportOptions = {},
): Promise<AuditDirVerification> {
  const { lines: checkpoints, keys } = await store.checkpoints.read();
  const entries = await store.readAudit();
  if (entries.length === 0 && checkpoints.length === 0) {
    const message = 'no audit trail in the database: it holds no audit entry and no checkpoint';
    return {
      ok: false,
      noTrail: true,
      count: 0,
      problems: [{ line: 0, kind: 'missing', message }],
    };
  }
  const trail = entries.map((entry) => formatAuditLine(entry));
  return verifyAuditParts({ trail, checkpoints, keys }, options, {
    keys: 'database',
    where: (n) => `checkpoint ${n} in the database`,
  });
}
