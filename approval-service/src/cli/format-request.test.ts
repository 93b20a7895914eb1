import { describe, expect, it } from 'vitest';
import type { RequestView } from '@clearance/client';
import { formatTime, relativeTime } from '../console/format.js';
import { formatRequest, formatRequestTable } from './format-request.js';

const now = new Date('2026-01-05T09:01:00.000Z');

const approved: RequestView = {
  id: 'req_1',
  status: 'approved',
  url: 'http://svc/requests/req_1',
  stack: 'acme/app/prod',
  urn: 'urn:pulumi:prod::app::aws:s3/bucket:Bucket::logs',
  type: 'aws:s3/bucket:Bucket',
  policy: 'demo-policy',
  fingerprint: 'a'.repeat(64),
  summary: 'makes the bucket public',
  reason: 'audit export',
  requester: 'carol',
  createdAt: '2026-01-05T08:55:00.000Z',
  expiresAt: '2026-01-05T10:00:00.000Z',
  requestedDurationSeconds: 5400,
  requirements: {
    rule: 'default',
    approvals: 1,
    approverGroups: ['managers'],
    requesterGroups: [],
    maxDurationSeconds: 7200,
    reasonRequired: false,
  },
  progress: { approvals: 1, required: 1, text: '1 of 1 managers' },
  reviews: [{ reviewer: 'bob', decision: 'approve', reason: 'ok', at: '2026-01-05T09:00:00.000Z' }],
  runs: [],
};

describe('formatRequest', () => {
  it('shows times and durations as the console does, in UTC with how far off they are', () => {
    const text = formatRequest(approved, now);
    expect(text).toContain('  duration   1 h 30 min\n');
    expect(text).toContain(
      '  expires    2026-01-05 10:00 UTC (in 59 min), when the approval ends\n',
    );
    expect(text).toContain('  review     bob approved at 2026-01-05 09:00 UTC (1 min ago) — ok\n');
    expect(text).toContain(
      `${formatTime(approved.expiresAt)} (${relativeTime(approved.expiresAt, now)})`,
    );
    expect(text).not.toContain('T10:00:00');
  });

  it('says when a pending request lapses, and when a revocation happened', () => {
    const pending = formatRequest({ ...approved, status: 'pending', reviews: [] }, now);
    expect(pending).toContain('2026-01-05 10:00 UTC (in 59 min), lapses if still undecided');
    const revoked = formatRequest(
      { ...approved, status: 'revoked', revokedAt: '2026-01-05T08:58:00.000Z', revokedBy: 'bob' },
      now,
    );
    expect(revoked).toContain('  revoked    2026-01-05 08:58 UTC (3 min ago) by bob\n');
  });
});

describe('formatRequestTable', () => {
  it('lists the expiry as the console does', () => {
    const [header, row] = formatRequestTable([approved], now).split('\n');
    expect(header).toMatch(/EXPIRES$/);
    expect(row).toMatch(/ logs +2026-01-05 10:00 UTC \(in 59 min\)$/);
  });
});
