/**
 * The writes a service acknowledged (answered 2xx), and the check that a service (restarted,
 * or after a load) still holds every one of them: in the request and in the audit trail.
 */

export type AcknowledgedWrite =
  | { kind: 'create'; id: string; by: string; urn: string }
  | { kind: 'review'; id: string; by: string; decision: 'approve' | 'deny' }
  | { kind: 'revoke'; id: string; by: string }
  | { kind: 'reopen'; id: string; by: string };

interface RequestState {
  id: string;
  urn: string;
  requester: string;
  status: string;
  revokedBy?: string;
  reopenedBy?: string;
  reviews: { reviewer: string; decision: string }[];
}

interface AuditRecord {
  actor: string;
  action: string;
  subject?: string;
}

const auditAction = (write: AcknowledgedWrite): string => {
  if (write.kind === 'create') return 'request.created';
  if (write.kind === 'review') return `review.${write.decision}`;
  return write.kind === 'revoke' ? 'request.revoked' : 'request.reopened';
};

function describe(write: AcknowledgedWrite): string {
  const what = write.kind === 'review' ? `review (${write.decision})` : write.kind;
  return `${what} of ${write.id} by ${write.by}`;
}

/** What is missing of `write` in its request as now stored (undefined: nothing). */
function missingInRequest(
  write: AcknowledgedWrite,
  request: RequestState | undefined,
): string | undefined {
  if (!request) return 'the request is gone';
  if (write.kind === 'create') {
    return request.urn === write.urn && request.requester === write.by
      ? undefined
      : 'the request holds another change';
  }
  if (write.kind === 'review') {
    const found = request.reviews.some(
      (r) => r.reviewer === write.by && r.decision === write.decision,
    );
    return found ? undefined : 'the review is not in the request';
  }
  if (write.kind === 'revoke') {
    return request.status === 'revoked' && request.revokedBy === write.by
      ? undefined
      : `the request is ${request.status}, not revoked by ${write.by}`;
  }
  return request.reopenedBy === write.by ? undefined : 'the request is not reopened';
}

async function getJson<T>(url: string, token: string): Promise<T> {
  const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  if (!res.ok) throw new Error(`GET ${url}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

export class WriteLedger {
  private readonly writes: AcknowledgedWrite[] = [];

  record(write: AcknowledgedWrite): void {
    this.writes.push(write);
  }

  get size(): number {
    return this.writes.length;
  }

  /** Counts by kind, e.g. {create: 50, review: 90, ...}. */
  counts(): Record<AcknowledgedWrite['kind'], number> {
    const counts = { create: 0, review: 0, revoke: 0, reopen: 0 };
    for (const write of this.writes) counts[write.kind] += 1;
    return counts;
  }

  /**
   * The acknowledged writes the service at `url` does not hold, each described: its request
   * (read through the API with `token`, who must be allowed to read the audit) lacks it, or
   * the audit trail has no entry for it.
   */
  async missing(url: string, token: string): Promise<string[]> {
    const { requests } = await getJson<{ requests: RequestState[] }>(`${url}/v1/requests`, token);
    const byId = new Map(requests.map((r) => [r.id, r]));
    const { entries } = await getJson<{ entries: AuditRecord[] }>(`${url}/v1/audit`, token);
    const audited = new Map<string, number>();
    const key = (action: string, actor: string, subject: string | undefined) =>
      `${action} ${actor} ${subject ?? ''}`;
    for (const e of entries) {
      const k = key(e.action, e.actor, e.subject);
      audited.set(k, (audited.get(k) ?? 0) + 1);
    }
    const lost: string[] = [];
    for (const write of this.writes) {
      const inRequest = missingInRequest(write, byId.get(write.id));
      const k = key(auditAction(write), write.by, write.id);
      const left = audited.get(k) ?? 0;
      audited.set(k, left - 1);
      const inAudit = left > 0 ? undefined : `no ${auditAction(write)} entry in the audit trail`;
      const why = [inRequest, inAudit].filter((w) => w !== undefined);
      if (why.length > 0) lost.push(`${describe(write)}: ${why.join('; ')}`);
    }
    return lost;
  }
}
