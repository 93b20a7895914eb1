import type { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { JSON_LINES_CONTENT_TYPE, redactMaterial, SecretValue } from '@clearance/client';
import { consoleHarness, TestBrowser } from './console-harness.case.js';

async function loggedIn(app: Hono, user: string) {
  const browser = new TestBrowser(app);
  expect((await browser.login(user)).status).toBe(303);
  return browser;
}

describe('console pages', () => {
  it('lists pending requests newest first with quorum and time left, filterable by stack and policy', async () => {
    const { app, clock, openRequest } = await consoleHarness();
    const older = await openRequest({ stack: 'acme/shop/dev' });
    clock.advanceSeconds(60);
    const newer = await openRequest({
      urn: 'urn:pulumi:prod::shop::aws:s3/bucketAcl:BucketAcl::assets-acl',
      type: 'aws:s3/bucketAcl:BucketAcl',
      policy: 'aws-s3-public-access',
      summary: 'canned ACL public-read',
      material: { acls: ['public-read'] },
    });
    const alice = await loggedIn(app, 'alice');
    const all = await (await alice.get('/')).text();
    expect(all.indexOf(newer.id)).toBeGreaterThan(-1);
    expect(all.indexOf(newer.id)).toBeLessThan(all.indexOf(older.id));
    expect(all).toContain('0 of 2 managers');
    expect(all).toContain('(in 23 h 59 min)');
    const byStack = await (await alice.get('/?stack=acme%2Fshop%2Fdev')).text();
    expect(byStack).toContain(older.id);
    expect(byStack).not.toContain(newer.id);
    const byPolicy = await (await alice.get('/?policy=aws-s3-public-access')).text();
    expect(byPolicy).toContain(newer.id);
    expect(byPolicy).not.toContain(older.id);
  });

  it('runs the decision flow: 1 of 2, then approved with its expiry, seen by the requester', async () => {
    const { app, openRequest } = await consoleHarness();
    const request = await openRequest();
    const page = `/requests/${request.id}`;
    const alice = await loggedIn(app, 'alice');
    const first = await alice.submit(page, `${page}/review`, {
      decision: 'approve',
      reason: 'ok',
      durationSeconds: '1800',
    });
    expect(first.status).toBe(303);
    const afterFirst = await (await alice.get(page)).text();
    expect(afterFirst).toContain('1 of 2 managers');
    expect(afterFirst).toContain('You approved this request. It is now pending (1 of 2 managers).');
    expect(afterFirst).toContain('You cannot decide this request:');

    const bob = await loggedIn(app, 'bob');
    await bob.submit(page, `${page}/review`, {
      decision: 'approve',
      reason: 'fine',
      durationSeconds: '1800',
    });
    const carol = await loggedIn(app, 'carol');
    const seen = await (await carol.get(page)).text();
    expect(seen).toContain('<span class="badge approved">approved</span> 2 of 2 managers');
    expect(seen).toContain(
      'Approval ends</dt><dd><time datetime="2026-01-05T09:30:00.000Z">2026-01-05 09:30 UTC</time> (in 30 min)',
    );
  });

  it('shows who asks, what changes (secrets redacted), the reason, reviews and requirements', async () => {
    const { app, openRequest } = await consoleHarness();
    const externalId = 'vendor-external-id-8c1f';
    const request = await openRequest({
      urn: 'urn:pulumi:prod::shop::aws:iam/role:Role::vendor-export',
      type: 'aws:iam/role:Role',
      policy: 'aws-iam-role-external-trust',
      summary: 'trust policy admits account 999988887777 (arn:aws:iam::999988887777:root)',
      reason: 'Vendor pulls the nightly export',
      material: redactMaterial({
        externalPrincipals: [
          {
            principal: 'arn:aws:iam::999988887777:root',
            Action: ['sts:AssumeRole'],
            Condition: { StringEquals: { 'sts:ExternalId': new SecretValue(externalId) } },
          },
        ],
      }) as Record<string, unknown>,
    });
    const page = `/requests/${request.id}`;
    const alice = await loggedIn(app, 'alice');
    await alice.submit(page, `${page}/review`, {
      decision: 'approve',
      reason: 'Checked with the vendor',
      durationSeconds: '1800',
    });

    const bob = await loggedIn(app, 'bob');
    const html = await (await bob.get(page)).text();
    for (const fact of [
      'Asked by</dt><dd>carol</dd>',
      'Asked at</dt><dd><time datetime="2026-01-05T09:00:00.000Z">2026-01-05 09:00 UTC</time>',
      'Stack</dt><dd>acme/shop/prod</dd>',
      '<code>urn:pulumi:prod::shop::aws:iam/role:Role::vendor-export</code>',
      'Policy</dt><dd>aws-iam-role-external-trust</dd>',
      'trust policy admits account 999988887777',
      '<code>externalPrincipals[0].principal</code>',
      '<code>arn:aws:iam::999988887777:root</code>',
      '<code>externalPrincipals[0].Condition.StringEquals[&quot;sts:ExternalId&quot;]</code></th><td class="secret">[secret]</td>',
      'Vendor pulls the nightly export',
      '<strong>alice</strong>',
      'Checked with the vendor',
      'Reviews (1 of 2 managers)',
      'Rule</dt><dd>default</dd>',
      'Approvals</dt><dd>2 from managers</dd>',
      'Longest approval</dt><dd>1 h</dd>',
      'action="/requests/',
    ]) {
      expect(html).toContain(fact);
    }
    expect(html).not.toContain(externalId);
    const secretHash = /"\$secretSha256":"([0-9a-f]{64})"/.exec(JSON.stringify(request.material));
    expect(secretHash?.[1]).toBeDefined();
    expect(html).not.toContain(secretHash?.[1] ?? 'no hash');

    const again = await (await alice.get(page)).text();
    expect(again).toContain('You cannot decide this request:');
    expect(again).not.toContain(`${page}/review`);
  });

  it('offers durations up to the rule maximum, refuses longer ones, and shows the rule window', async () => {
    const { app, clock, openRequest, services } = await consoleHarness(
      {},
      {
        rules: [
          {
            name: 'prod-network',
            policies: ['aws-security-group-*'],
            approvals: 1,
            approverGroups: ['managers'],
            maxDurationSeconds: 7200,
            window: { days: ['mon'], from: '08:00', to: '18:00', timeZone: 'UTC' },
          },
        ],
      },
    );
    const request = await openRequest({ durationSeconds: undefined });
    const page = `/requests/${request.id}`;
    const alice = await loggedIn(app, 'alice');
    const html = await (await alice.get(page)).text();
    expect(html).toContain('mon 08:00-18:00 UTC (now inside the window)');
    expect(html).toContain('<option value="3600">1 h</option>');
    expect(html).toContain('<option value="7200" selected="">2 h</option>');
    expect(html).not.toContain('<option value="86400">');
    expect(html).toContain('At most 2 h (rule “prod-network”)');

    // A forged longer duration is refused and shown, not cut silently; the maximum is granted.
    const forged = await alice.submit(page, `${page}/review`, {
      decision: 'approve',
      durationSeconds: '86400',
    });
    expect(forged.status).toBe(400);
    expect(await forged.text()).toContain('Refused (ERR_DURATION_TOO_LONG)');
    expect((await services.requests.getRequest(request.id)).reviews).toEqual([]);
    await alice.submit(page, `${page}/review`, { decision: 'approve', durationSeconds: '7200' });
    const approved = await services.requests.getRequest(request.id);
    expect(approved.status).toBe('approved');
    expect(Date.parse(approved.expiresAt) - clock.now().getTime()).toBe(7200 * 1000);
  });

  it('offers no decision to the requester and shows the refusal of a forced POST', async () => {
    const { app, openRequest, services } = await consoleHarness();
    const request = await openRequest();
    const page = `/requests/${request.id}`;
    const carol = await loggedIn(app, 'carol');
    const html = await (await carol.get(page)).text();
    expect(html).not.toContain(`${page}/review`);
    expect(html).toContain('you opened this request; someone else must decide it');
    const forced = await carol.submit(page, `${page}/review`, {
      decision: 'approve',
      durationSeconds: '1800',
    });
    expect(forced.status).toBe(403);
    expect(await forced.text()).toContain('Refused (ERR_SELF_REVIEW)');
    expect((await services.requests.getRequest(request.id)).reviews).toEqual([]);
  });

  it('denies with one eligible denial, keeping the reason as text', async () => {
    const { app, openRequest } = await consoleHarness();
    const request = await openRequest();
    const page = `/requests/${request.id}`;
    const bob = await loggedIn(app, 'bob');
    await bob.submit(page, `${page}/review`, {
      decision: 'deny',
      reason: 'Not <today>',
      confirm: 'deny',
    });
    const html = await (await bob.get(page)).text();
    expect(html).toContain('<span class="badge denied">denied</span>');
    expect(html).toContain('Not &lt;today&gt;');
    expect(html).toContain('it can no longer be decided');
  });

  it('shows a bad decision form as an error, not a crash', async () => {
    const { app, openRequest } = await consoleHarness();
    const request = await openRequest();
    const page = `/requests/${request.id}`;
    const alice = await loggedIn(app, 'alice');
    const res = await alice.submit(page, `${page}/review`, { decision: 'maybe' });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('Choose approve or deny');
    const missing = await alice.get('/requests/req_nope');
    expect(missing.status).toBe(404);
    expect(await missing.text()).toContain('ERR_NOT_FOUND');
  });

  it('lists active approvals with their expiry and revokes one', async () => {
    const { app, openRequest, services } = await consoleHarness();
    const request = await openRequest();
    const page = `/requests/${request.id}`;
    for (const user of ['alice', 'bob']) {
      const b = await loggedIn(app, user);
      await b.submit(page, `${page}/review`, { decision: 'approve', durationSeconds: '1800' });
    }
    const alice = await loggedIn(app, 'alice');
    const list = await (await alice.get('/approvals')).text();
    expect(list).toContain(request.id);
    expect(list).toContain('(in 30 min)');
    const revoked = await alice.submit('/approvals', `${page}/revoke`, { reason: 'done' });
    expect(revoked.status).toBe(303);
    expect((await services.requests.getRequest(request.id)).status).toBe('revoked');
    expect(await (await alice.get('/approvals')).text()).not.toContain(request.id);
  });

  it('shows history with filters and exports it as JSON Lines without tokens', async () => {
    const { app, openRequest } = await consoleHarness();
    const approved = await openRequest();
    const page = `/requests/${approved.id}`;
    for (const user of ['alice', 'bob']) {
      const b = await loggedIn(app, user);
      await b.submit(page, `${page}/review`, { decision: 'approve', durationSeconds: '1800' });
    }
    const pending = await openRequest({ stack: 'acme/shop/dev' });
    const alice = await loggedIn(app, 'alice');
    const onlyApproved = await (await alice.get('/history?status=approved')).text();
    expect(onlyApproved).toContain(approved.id);
    expect(onlyApproved).not.toContain(pending.id);
    const exported = await alice.get('/history?format=jsonl');
    expect(exported.headers.get('content-type')).toBe(JSON_LINES_CONTENT_TYPE);
    const rows = (await exported.text())
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(rows.map((r) => r.id)).toEqual([pending.id, approved.id]);
    expect(rows[1].status).toBe('approved');
    expect(rows.some((r) => 'token' in r)).toBe(false);
  });

  it('shows the audit trail with filters and exports it as JSON Lines', async () => {
    const { app, openRequest } = await consoleHarness();
    const request = await openRequest();
    const page = `/requests/${request.id}`;
    const alice = await loggedIn(app, 'alice');
    await alice.submit(page, `${page}/review`, { decision: 'approve', durationSeconds: '1800' });
    const html = await (await alice.get('/audit?action=review.approve')).text();
    expect(html).toContain('review.approve');
    expect(html).not.toContain('<code>request.created</code>');
    const res = await alice.get('/audit?format=jsonl');
    expect(res.headers.get('content-type')).toBe(JSON_LINES_CONTENT_TYPE);
    expect(res.headers.get('content-disposition')).toContain('clearance-audit.jsonl');
    const lines = (await res.text())
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines.map((e) => e.action)).toEqual(['request.created', 'review.approve']);
    expect(lines[1].prevHash).toBe(lines[0].hash);
    const since = await (await alice.get('/audit?since=2030-01-01T00:00')).text();
    expect(since).toContain('No audit entries match.');
    expect((await alice.get('/audit?since=yesterday')).status).toBe(400);
    expect(html).toContain('<a href="/audit" aria-current="page">Audit</a>');
  });

  it('shows the newest 200 matching audit entries, newest first, and says when there are older ones', async () => {
    const { app, store } = await consoleHarness();
    const event = (n: number) => ({
      time: new Date(Date.UTC(2025, 2, 1, 0, 0, n)).toISOString(),
      actor: 'mallory',
      action: 'auth.failed' as const,
      subject: `attempt-${n}`,
    });
    await store.appendAudit(Array.from({ length: 200 }, (_, n) => event(n + 1)));
    const alice = await loggedIn(app, 'alice');
    const full = await (await alice.get('/audit?actor=mallory')).text();
    expect(full).not.toContain('Showing the newest');
    await store.appendAudit([event(201)]);
    const page = await (await alice.get('/audit?actor=mallory')).text();
    expect(page).toContain('Showing the newest 200 matching entries.');
    expect(page.indexOf('attempt-201<')).toBeLessThan(page.indexOf('attempt-200<'));
    expect(page).not.toContain('attempt-1<');
    expect(page).toContain('attempt-2<');
  });

  it('keeps the audit trail from users who are neither auditors nor approvers', async () => {
    const { app, openRequest } = await consoleHarness();
    await openRequest();
    const carol = await loggedIn(app, 'carol');
    for (const path of ['/audit', '/audit?format=jsonl']) {
      const res = await carol.get(path);
      expect(res.status, path).toBe(403);
      const body = await res.text();
      expect(body).toContain('Only auditors and approvers may read the audit trail');
      expect(body).not.toContain('request.created');
    }
    expect(await (await carol.get('/')).text()).not.toContain('href="/audit"');
  });
});
