import { describe, expect, it } from 'vitest';
import { codeOf } from './thrown-code.case.js';
import { applyExpiry, applyRevoke } from './lifecycle.js';
import type { Actor, StoredRequest } from './model.js';
import { effectiveStatus, progressOf } from './request-status.js';

const base: StoredRequest = {
  id: 'req_1',
  stack: 'acme/web/prod',
  urn: 'urn:pulumi:prod::web::t::r',
  type: 't',
  policy: 'p',
  fingerprint: 'b'.repeat(64),
  summary: 's',
  reason: '',
  requester: 'carol',
  status: 'pending',
  requirements: {
    rule: 'default',
    approvals: 2,
    approverGroups: ['managers', 'sre'],
    requesterGroups: [],
    maxDurationSeconds: 3600,
    reasonRequired: false,
  },
  reviews: [],
  createdAt: '2026-01-05T09:00:00.000Z',
  pendingExpiresAt: '2026-01-06T09:00:00.000Z',
  runs: [],
};
const approved: StoredRequest = {
  ...base,
  status: 'approved',
  decidedAt: '2026-01-05T09:30:00.000Z',
  expiresAt: '2026-01-05T10:30:00.000Z',
  token: 'header.payload.signature',
  tokenId: 'tok_1',
};
const carol: Actor = { id: 'carol', displayName: 'Carol', groups: [] };
const alice: Actor = { id: 'alice', displayName: 'Alice', groups: ['managers'] };
const eve: Actor = { id: 'eve', displayName: 'Eve', groups: ['deployers'] };
const now = new Date('2026-01-05T10:00:00.000Z');

describe('effectiveStatus', () => {
  it('turns a pending request expired at its pending expiry', () => {
    expect(effectiveStatus(base, new Date('2026-01-06T08:59:59.999Z'))).toBe('pending');
    expect(effectiveStatus(base, new Date('2026-01-06T09:00:00.000Z'))).toBe('expired');
  });
  it('turns an approval expired at its end', () => {
    expect(effectiveStatus(approved, new Date('2026-01-05T10:29:59.999Z'))).toBe('approved');
    expect(effectiveStatus(approved, new Date('2026-01-05T10:30:00.000Z'))).toBe('expired');
  });
  it('leaves final states alone', () => {
    expect(effectiveStatus({ ...base, status: 'denied' }, new Date('2030-01-01'))).toBe('denied');
  });
  it('reads the time a request holds now, when the same object held another before', () => {
    const request = { ...approved };
    const at = new Date('2026-01-05T10:45:00.000Z');
    expect(effectiveStatus(request, at)).toBe('expired');
    request.expiresAt = '2026-01-05T11:00:00.000Z';
    expect(effectiveStatus(request, at)).toBe('approved');
    request.status = 'pending';
    request.pendingExpiresAt = '2026-01-05T10:40:00.000Z';
    expect(effectiveStatus(request, at)).toBe('expired');
  });
});

describe('progressOf', () => {
  it('counts distinct approvers against the quorum and names the groups', () => {
    const reviews = [
      { reviewer: 'alice', decision: 'approve' as const, reason: '', at: base.createdAt },
      { reviewer: 'alice', decision: 'approve' as const, reason: '', at: base.createdAt },
    ];
    expect(progressOf({ ...base, reviews })).toEqual({
      approvals: 1,
      required: 2,
      text: '1 of 2 managers or sre',
    });
  });
});

describe('applyRevoke', () => {
  it('lets the requester or an approver revoke, and drops the token', () => {
    const { request, events } = applyRevoke(approved, alice, ' done ', now);
    expect(request).toMatchObject({
      status: 'revoked',
      revokedBy: 'alice',
      revokedAt: now.toISOString(),
      revokeReason: 'done',
    });
    expect(request.token).toBeUndefined();
    expect(request.tokenId).toBe('tok_1');
    expect(events).toEqual([
      {
        time: now.toISOString(),
        actor: 'alice',
        action: 'request.revoked',
        subject: 'req_1',
        data: { reason: 'done', previousStatus: 'approved', tokenId: 'tok_1' },
      },
    ]);
    expect(applyRevoke(base, carol, '', now).request.status).toBe('revoked');
  });
  it('refuses anyone else', () => {
    expect(codeOf(() => applyRevoke(approved, eve, '', now))).toBe('ERR_FORBIDDEN');
  });
  it('refuses a request that is already final or lapsed', () => {
    expect(codeOf(() => applyRevoke({ ...base, status: 'denied' }, alice, '', now))).toBe(
      'ERR_ALREADY_DECIDED',
    );
    expect(codeOf(() => applyRevoke(approved, alice, '', new Date('2026-01-05T10:30:00Z')))).toBe(
      'ERR_ALREADY_DECIDED',
    );
  });
});

describe('applyExpiry', () => {
  it('expires a lapsed pending request with an audit event by the system', () => {
    const change = applyExpiry(base, new Date('2026-01-06T09:00:05.000Z'));
    expect(change?.request.status).toBe('expired');
    expect(change?.events[0]).toMatchObject({
      actor: 'system',
      action: 'request.expired',
      data: { previousStatus: 'pending', expiredAt: '2026-01-06T09:00:00.000Z' },
    });
  });
  it('expires an ended approval and drops its token', () => {
    const change = applyExpiry(approved, new Date('2026-01-05T10:30:00.000Z'));
    expect(change?.request.status).toBe('expired');
    expect(change?.request.token).toBeUndefined();
  });
  it('leaves a live or final request alone', () => {
    expect(applyExpiry(approved, now)).toBeUndefined();
    expect(applyExpiry({ ...base, status: 'revoked' }, new Date('2030-01-01'))).toBeUndefined();
  });
});
