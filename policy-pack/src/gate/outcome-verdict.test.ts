import { describe, expect, it } from 'vitest';
import { ClearanceError } from '@clearance/client';
import type { GateSettings } from './gate-settings.js';
import type { Subject } from './messages.js';
import { missingVerdict, serviceFailureVerdict } from './outcome-verdict.js';

const subject: Subject = {
  policy: 'aws-s3-public-access',
  name: 'logs',
  urn: 'urn:pulumi:prod::shop::aws:s3/bucketPolicy:BucketPolicy::logs',
  summary: 'bucket policy allows Principal *',
};
const settings: GateSettings = {
  serviceUrl: 'https://clearance.example',
  tokenEnv: 'CLEARANCE_TOKEN',
  stacks: ['**'],
  failMode: 'closed',
  previewMode: 'mandatory',
  offline: false,
  allowInsecureHttp: false,
  timeoutMs: 5000,
};
const next = {
  id: 'req_2',
  url: 'https://clearance.example/requests/req_2',
  progress: '0 of 2 managers',
};

function message(v: ReturnType<typeof missingVerdict>): string {
  return v.message;
}

describe('violation messages', () => {
  it('start with the policy, the resource and what makes it sensitive', () => {
    const v = missingVerdict(
      subject,
      { kind: 'pending', request: next, created: false },
      settings,
      true,
      [],
    );
    expect(message(v).split('\n')[0]).toBe(
      'aws-s3-public-access: "logs" (urn:pulumi:prod::shop::aws:s3/bucketPolicy:BucketPolicy::logs) needs an approval: bucket policy allows Principal *.',
    );
    expect(message(v)).toContain(
      'The approval request is pending (0 of 2 managers): https://clearance.example/requests/req_2',
    );
  });

  it('say who denied and why', () => {
    const denial = {
      kind: 'denied' as const,
      id: 'req_1',
      url: 'https://clearance.example/requests/req_1',
      deniedBy: 'carol',
      reason: 'too broad',
    };
    const v = missingVerdict(subject, denial, settings, false, []);
    expect(v.level).toBe('mandatory');
    expect(message(v)).toContain(
      'denied by carol: "too broad". https://clearance.example/requests/req_1',
    );
  });

  it('say when an approval expired, and link the new request', () => {
    const v = missingVerdict(
      subject,
      {
        kind: 'expired',
        url: 'https://clearance.example/requests/req_1',
        expiredAt: '2026-01-05T10:00:00.000Z',
        next,
      },
      settings,
      false,
      [],
    );
    expect(message(v)).toContain('expired at 2026-01-05T10:00:00.000Z');
    expect(message(v)).toContain(
      'An approval request was opened (0 of 2 managers): https://clearance.example/requests/req_2',
    );
  });

  it('say who revoked an approval and when', () => {
    const revoked = {
      kind: 'revoked' as const,
      url: 'u1',
      revokedBy: 'dave',
      revokedAt: '2026-01-05T11:00:00.000Z',
      next,
    };
    expect(message(missingVerdict(subject, revoked, settings, false, []))).toContain(
      'revoked by dave at 2026-01-05T11:00:00.000Z',
    );
  });

  it('list tokens that were found but not accepted', () => {
    const v = missingVerdict(
      subject,
      { kind: 'pending', request: next, created: true },
      settings,
      false,
      ['a token from CLEARANCE_APPROVAL_TOKENS: the approval token has expired'],
    );
    expect(message(v)).toContain(
      'Approval tokens found but not accepted: a token from CLEARANCE_APPROVAL_TOKENS: the approval token has expired.',
    );
  });

  it('say how long the service was given when it did not answer', () => {
    const slow = new ClearanceError('ERR_TIMEOUT', 'did not answer');
    const v = serviceFailureVerdict(subject, { ...settings, timeoutMs: 750 }, slow);
    expect(v.message).toContain(
      'The approval service at https://clearance.example was unreachable (no answer within 750 ms).',
    );
    expect(v.message).toContain('Fail mode "closed" applied');
  });

  it('treat overload and server errors as unavailability, client errors as refusals', () => {
    const open = { ...settings, failMode: 'open' as const };
    const overloaded = new ClearanceError('ERR_RATE_LIMITED', 'slow down', { status: 429 });
    const broken = new ClearanceError('ERR_INTERNAL', 'HTTP 502 from /v1/approvals', {
      status: 502,
    });
    const invalid = new ClearanceError('ERR_VALIDATION', 'summary: too long', { status: 400 });
    expect(serviceFailureVerdict(subject, open, overloaded).level).toBe('advisory');
    expect(serviceFailureVerdict(subject, open, broken).level).toBe('advisory');
    expect(serviceFailureVerdict(subject, open, invalid).level).toBe('mandatory');
  });
});
