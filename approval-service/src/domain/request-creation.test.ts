import { describe, expect, it } from 'vitest';
import { createRequestBodySchema, isClearanceError, type Requirements } from '@clearance/client';
import { assertMayReportRun, newRequest } from './request-creation.js';
import { codeOf } from './thrown-code.case.js';

const requirements: Requirements = {
  rule: 'prod',
  approvals: 2,
  approverGroups: ['managers'],
  requesterGroups: ['deployers'],
  maxDurationSeconds: 3600,
  reasonRequired: false,
};
const input = createRequestBodySchema.parse({
  stack: 'acme/web/prod',
  urn: 'urn:pulumi:prod::web::t::r',
  type: 't',
  policy: 'p',
  fingerprint: 'd'.repeat(64),
  summary: 'open port',
  reason: ' needed ',
  material: { port: 22 },
  durationSeconds: 600,
  run: { id: 'run-1', dryRun: true },
});
const now = new Date('2026-01-05T09:00:00.000Z');
const carol = { id: 'carol', displayName: 'Carol', groups: ['deployers'] };

describe('newRequest', () => {
  it('opens a pending request under the given requirements, expiring after the pending TTL', () => {
    const { request, events } = newRequest({
      id: 'req_1',
      requester: carol,
      input,
      requirements,
      now,
      pendingTtlSeconds: 60,
    });
    expect(request).toMatchObject({
      id: 'req_1',
      status: 'pending',
      requester: 'carol',
      reason: 'needed',
      requestedDurationSeconds: 600,
      requirements,
      createdAt: '2026-01-05T09:00:00.000Z',
      pendingExpiresAt: '2026-01-05T09:01:00.000Z',
      reviews: [],
      runs: [],
    });
    expect(events).toEqual([
      {
        time: now.toISOString(),
        actor: 'carol',
        action: 'request.created',
        subject: 'req_1',
        data: {
          stack: input.stack,
          urn: input.urn,
          policy: 'p',
          fingerprint: input.fingerprint,
          rule: 'prod',
          run: { id: 'run-1', dryRun: true },
        },
      },
    ]);
  });

  it('refuses a duration longer than the rule allows, and takes the maximum itself', () => {
    const args = { id: 'req_1', requester: carol, requirements, now, pendingTtlSeconds: 60 };
    const long = { ...input, durationSeconds: 3601 };
    expect(codeOf(() => newRequest({ ...args, input: long }))).toBe('ERR_DURATION_TOO_LONG');
    const max = newRequest({ ...args, input: { ...input, durationSeconds: 3600 } });
    expect(max.request.requestedDurationSeconds).toBe(3600);
  });

  it('refuses a requester outside the requester groups, and allows anyone when there are none', () => {
    const eve = { id: 'eve', displayName: 'Eve', groups: ['managers'] };
    const args = { id: 'req_1', requester: eve, input, requirements, now, pendingTtlSeconds: 60 };
    let code: string | undefined;
    try {
      newRequest(args);
    } catch (err) {
      code = isClearanceError(err) ? err.code : 'other';
    }
    expect(code).toBe('ERR_REQUESTER_NOT_ALLOWED');
    expect(
      newRequest({ ...args, requirements: { ...requirements, requesterGroups: [] } }).request
        .requester,
    ).toBe('eve');
  });
});

describe('assertMayReportRun', () => {
  const anyone: Requirements = { ...requirements, rule: 'open', requesterGroups: [] };
  const auditor = { id: 'erin', displayName: 'Erin', groups: ['auditors', 'managers'] };

  it('lets a requester of every named thing report', () => {
    expect(() => assertMayReportRun(carol, [[requirements], [anyone]])).not.toThrow();
  });

  it('lets anyone report what a rule without requester groups governs, and an empty report', () => {
    expect(() => assertMayReportRun(auditor, [[anyone]])).not.toThrow();
    expect(() => assertMayReportRun(auditor, [])).not.toThrow();
  });

  it('needs one of the possible rules to allow the actor, for each thing named', () => {
    expect(() => assertMayReportRun(auditor, [[requirements, anyone]])).not.toThrow();
    expect(codeOf(() => assertMayReportRun(auditor, [[anyone], [requirements]]))).toBe(
      'ERR_REQUESTER_NOT_ALLOWED',
    );
  });

  it('names the requester groups and the rule, not the actor', () => {
    let message = '';
    try {
      assertMayReportRun(auditor, [[requirements]]);
    } catch (err) {
      message = err instanceof Error ? err.message : '';
    }
    expect(message).toBe('only members of deployers may report runs under rule "prod"');
  });
});
