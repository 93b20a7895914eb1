import { describe, expect, it } from 'vitest';
import type { RequestView } from '@clearance/client';
import type { AuditEntry } from '../../domain/model.js';
import { ApprovalsPage } from './approvals-page.js';
import { AuditPage } from './audit-page.js';
import { LoginPage } from './login-page.js';
import { PendingPage } from './pending-page.js';
import { RequestPage, type RequestPageProps } from './request-page.js';

const now = new Date('2026-01-05T09:30:00Z');
const user = {
  actor: { id: 'alice', displayName: 'Alice Manager', groups: ['managers'] },
  formToken: 'form-token-123',
};

function requestView(overrides: Partial<RequestView> = {}): RequestView {
  return {
    id: 'req_1',
    status: 'pending',
    url: 'http://localhost:8080/requests/req_1',
    stack: 'acme/shop/prod',
    urn: 'urn:pulumi:prod::shop::aws:ec2/securityGroup:SecurityGroup::web-sg',
    type: 'aws:ec2/securityGroup:SecurityGroup',
    policy: 'aws-security-group-open-ingress',
    fingerprint: 'a'.repeat(64),
    summary: 'ingress from 0.0.0.0/0 on tcp port 22',
    reason: 'Debugging a broken deploy',
    material: {
      openIngress: [{ protocol: 'tcp', fromPort: 22, toPort: 22, cidr: '0.0.0.0/0' }],
      password: { $secretSha256: 'b'.repeat(64) },
    },
    requester: 'carol',
    requestedDurationSeconds: 1800,
    createdAt: '2026-01-05T09:00:00Z',
    expiresAt: '2026-01-06T09:00:00Z',
    requirements: {
      rule: 'default',
      approvals: 2,
      approverGroups: ['managers'],
      requesterGroups: [],
      maxDurationSeconds: 3600,
      reasonRequired: true,
    },
    progress: { approvals: 0, required: 2, text: '0 of 2 managers' },
    reviews: [],
    runs: [],
    ...overrides,
  };
}

async function html(node: unknown): Promise<string> {
  return String(await node);
}

function detail(overrides: Partial<RequestPageProps> = {}) {
  return html(
    <RequestPage
      user={user}
      request={requestView()}
      now={now}
      eligibility={{ canDecide: true }}
      canRevoke
      canReopen={false}
      {...overrides}
    />,
  );
}

describe('console views', () => {
  it('pending list shows quorum, time left and links, newest first as given', async () => {
    const page = await html(
      <PendingPage
        user={user}
        requests={[requestView({ id: 'req_2', createdAt: '2026-01-05T09:20:00Z' }), requestView()]}
        now={now}
        filter={{ stack: 'acme/shop/prod' }}
        stacks={['acme/shop/prod', 'acme/shop/dev']}
        policies={['aws-security-group-open-ingress']}
      />,
    );
    expect(page).toContain('0 of 2 managers');
    expect(page).toContain('(in 23 h 30 min)');
    expect(page.indexOf('/requests/req_2')).toBeLessThan(page.indexOf('/requests/req_1'));
    expect(page).toContain('<option value="acme/shop/prod" selected="">acme/shop/prod</option>');
    expect(page).toContain('value="form-token-123"');
  });

  it('escapes every user-supplied value', async () => {
    const evil = '<script>alert(1)</script>';
    const page = await detail({
      request: requestView({
        reason: evil,
        summary: evil,
        requester: evil,
        material: { [evil]: evil },
        reviews: [
          { reviewer: evil, decision: 'approve', reason: evil, at: '2026-01-05T09:10:00Z' },
        ],
      }),
    });
    expect(page).not.toContain('<script>');
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('detail shows the sensitive properties with secrets redacted', async () => {
    const page = await detail();
    expect(page).toContain('openIngress[0].cidr');
    expect(page).toContain('0.0.0.0/0');
    expect(page).toContain('[secret]');
    expect(page).not.toContain('b'.repeat(64));
    expect(page).toContain('Debugging a broken deploy');
  });

  it('derives why it is sensitive from the material, and labels the summary as the requester’s words', async () => {
    const page = await detail({ request: requestView({ summary: 'harmless tag change' }) });
    const why = page.slice(page.indexOf('id="h-why"'), page.indexOf('id="h-reason"'));
    expect(why).toMatch(/checked them\s+against the fingerprint/);
    expect(why.indexOf('openIngress[0].cidr')).toBeGreaterThan(-1);
    const words = why.indexOf('Summary, in the requester’s words');
    expect(words).toBeGreaterThan(why.indexOf('openIngress[0].cidr'));
    expect(why.indexOf('harmless tag change')).toBeGreaterThan(words);
    expect(why).toContain('not checked by the service');
  });

  it('says how long a denial stands, and offers reopening to those who may', async () => {
    const denied = requestView({
      status: 'denied',
      reviews: [{ reviewer: 'bob', decision: 'deny', reason: 'no', at: '2026-01-05T09:10:00Z' }],
      denialEndsAt: '2026-01-06T09:10:00Z',
    });
    const page = await detail({ request: denied, canReopen: true });
    expect(page).toMatch(/stays denied until an approver reopens this request\s*, or until/);
    expect(page).toContain('action="/requests/req_1/reopen"');
    expect(await detail({ request: denied })).not.toContain('/reopen"');
    const reopened = await detail({
      request: { ...denied, reopenedAt: '2026-01-05T09:20:00Z', reopenedBy: 'alice' },
      canReopen: true,
    });
    expect(reopened).toContain('Reopened by alice');
    expect(reopened).not.toContain('/reopen"');
    const lapsed = await detail({
      request: { ...denied, denialEndsAt: '2026-01-05T09:20:00Z' },
      canReopen: true,
    });
    expect(lapsed).toContain('The denial lapsed');
    expect(lapsed).not.toContain('/reopen"');
  });

  it('offers the decision form when eligible, durations capped by the rule', async () => {
    const page = await detail();
    expect(page).toContain('action="/requests/req_1/review"');
    expect(page).toContain('value="approve"');
    expect(page).toContain('<option value="1800" selected="">30 min (asked for)</option>');
    expect(page).toContain('<option value="3600">1 h</option>');
    expect(page).not.toContain('value="7200"');
    expect(page).toMatch(/<textarea[^>]*required/);
  });

  it('says why the viewer may not decide, without a form', async () => {
    const page = await detail({
      eligibility: {
        canDecide: false,
        why: 'you opened this request; someone else must decide it',
      },
    });
    expect(page).toContain('You cannot decide this request:');
    expect(page).toContain('you opened this request; someone else must decide it');
    expect(page).not.toContain('/review"');
    expect(page).not.toContain('value="approve"');
  });

  it('shows the window of the rule and whether now is inside it', async () => {
    const window = { days: ['mon' as const], from: '10:00', to: '12:00', timeZone: 'UTC' };
    const page = await detail({
      request: requestView({ requirements: { ...requestView().requirements, window } }),
    });
    expect(page).toContain('mon 10:00-12:00 UTC (now outside the window)');
  });

  it('shows an approved request with its expiry and a revoke form', async () => {
    const page = await detail({
      request: requestView({
        status: 'approved',
        expiresAt: '2026-01-05T10:30:00Z',
        progress: { approvals: 2, required: 2, text: '2 of 2 managers' },
      }),
    });
    expect(page).toContain('Approval ends');
    expect(page).toContain('2026-01-05 10:30 UTC</time> (in 1 h)');
    expect(page).toContain('action="/requests/req_1/revoke"');
    expect(page).toContain('it can no longer be decided');
  });

  it('approvals page offers revoke only where allowed', async () => {
    const approved = requestView({ status: 'approved', expiresAt: '2026-01-05T10:00:00Z' });
    const page = await html(
      <ApprovalsPage
        user={user}
        approvals={[
          { request: approved, canRevoke: true },
          { request: { ...approved, id: 'req_9' }, canRevoke: false },
        ]}
        now={now}
        filter={{}}
        stacks={[]}
      />,
    );
    expect(page).toContain('action="/requests/req_1/revoke"');
    expect(page).not.toContain('action="/requests/req_9/revoke"');
    expect(page).toContain('(in 30 min)');
  });

  it('audit page lists entries with an export link keeping the filter', async () => {
    const entry: AuditEntry = {
      seq: 7,
      time: '2026-01-05T09:00:00Z',
      actor: 'carol',
      action: 'request.created',
      subject: 'req_1',
      data: { note: '<b>x</b>' },
      prevHash: '0',
      hash: '1',
    };
    const page = await html(
      <AuditPage
        user={user}
        entries={[entry]}
        truncated={false}
        filter={{ actor: 'carol' }}
        exportHref="/audit?actor=carol&format=jsonl"
      />,
    );
    expect(page).toContain('href="/audit?actor=carol&amp;format=jsonl"');
    expect(page).toContain('request.created');
    expect(page).toContain('&lt;b&gt;x&lt;/b&gt;');
  });

  it('login page has labelled fields and no navigation', async () => {
    const page = await html(
      <LoginPage formToken="t" error="Unknown user name or wrong password." />,
    );
    expect(page).toContain('<label for="username">');
    expect(page).toContain('<label for="password">');
    expect(page).toContain('role="alert"');
    expect(page).not.toContain('aria-label="Main"');
  });
});
