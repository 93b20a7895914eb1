import { describe, expect, it } from 'vitest';
import type { RequestView } from '@clearance/client';
import { eligibility } from './eligibility.js';
import type { Actor, StoredRequest } from './model.js';

const stored: StoredRequest = {
  id: 'req_1',
  stack: 'acme/web/prod',
  urn: 'urn:pulumi:prod::web::t::r',
  type: 't',
  policy: 'p',
  fingerprint: 'c'.repeat(64),
  summary: 's',
  reason: '',
  requester: 'carol',
  status: 'pending',
  requirements: {
    rule: 'office-hours',
    approvals: 2,
    approverGroups: ['managers'],
    requesterGroups: [],
    maxDurationSeconds: 3600,
    reasonRequired: false,
    window: {
      days: ['mon', 'tue', 'wed', 'thu', 'fri'],
      from: '09:00',
      to: '17:00',
      timeZone: 'UTC',
    },
  },
  reviews: [{ reviewer: 'bob', decision: 'approve', reason: '', at: '2026-01-05T09:05:00.000Z' }],
  createdAt: '2026-01-05T09:00:00.000Z',
  pendingExpiresAt: '2026-01-06T09:00:00.000Z',
  runs: [],
};
const view = {
  ...stored,
  url: 'http://localhost/requests/req_1',
  expiresAt: stored.pendingExpiresAt,
  progress: { approvals: 1, required: 2, text: '1 of 2 managers' },
} as unknown as RequestView;

const alice: Actor = { id: 'alice', displayName: 'Alice', groups: ['managers'] };
const bob: Actor = { id: 'bob', displayName: 'Bob', groups: ['managers'] };
const carol: Actor = { id: 'carol', displayName: 'Carol', groups: ['managers'] };
const eve: Actor = { id: 'eve', displayName: 'Eve', groups: [] };
const monday = new Date('2026-01-05T10:00:00Z');

describe('eligibility', () => {
  it('lets an eligible approver decide, from a stored request or a view', () => {
    expect(eligibility(alice, stored, monday)).toEqual({ canDecide: true });
    expect(eligibility(alice, view, monday)).toEqual({ canDecide: true });
  });

  it('says why not', () => {
    const why = (actor: Actor, at = monday, req: StoredRequest | RequestView = stored) => {
      const e = eligibility(actor, req, at);
      return e.canDecide ? '' : e.why;
    };
    expect(why(carol)).toMatch(/you opened this request/);
    expect(why(eve)).toMatch(/only members of managers/);
    expect(why(bob)).toMatch(/already reviewed/);
    expect(why(alice, new Date('2026-01-05T18:00:00Z'))).toMatch(
      /mon,tue,wed,thu,fri 09:00-17:00 UTC/,
    );
    expect(why(alice, new Date('2026-01-06T09:00:00Z'))).toMatch(/expired undecided/);
    expect(why(alice, new Date('2026-01-06T09:00:00Z'), view)).toMatch(/expired undecided/);
    expect(
      why(alice, monday, { ...stored, status: 'denied', decidedAt: monday.toISOString() }),
    ).toMatch(/already denied/);
  });
});
