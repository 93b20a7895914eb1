import { describe, expect, it } from 'vitest';
import {
  JSON_LINES_CONTENT_TYPE,
  type ApprovalsResponse,
  type CheckResult,
  type RequestView,
} from '@clearance/client';
import { hashApiToken } from '../auth/secrets.js';
import type { AuditEntry } from '../domain/model.js';
import { appHarness, errorOf, requestBody, requestFor, type Harness } from './app-harness.case.js';

const item = (fingerprint: string) => ({
  urn: requestBody.urn,
  policy: requestBody.policy,
  fingerprint,
});
/** The n-th state of the resource: its own material, hence its own fingerprint. */
const change = (n: number) => requestFor({ material: { state: n } });
const fingerprints = new Map<number, string>();
const fp = (n: number): string => {
  if (!fingerprints.has(n)) fingerprints.set(n, change(n).fingerprint);
  return fingerprints.get(n) as string;
};

async function open(h: Harness, n: number): Promise<RequestView> {
  return h.json('POST', '/v1/requests', 'carol', change(n));
}

async function approve(h: Harness, id: string): Promise<RequestView> {
  await h.json('POST', `/v1/requests/${id}/reviews`, 'alice', { decision: 'approve' });
  return h.json('POST', `/v1/requests/${id}/reviews`, 'bob', { decision: 'approve' });
}

describe('POST /v1/checks', () => {
  it('answers every item with the state of its newest request', async () => {
    const h = await appHarness();
    const approved = await approve(h, (await open(h, 1)).id);
    const pending = await open(h, 2);
    await h.json('POST', `/v1/requests/${pending.id}/reviews`, 'alice', { decision: 'approve' });
    const denied = await open(h, 3);
    await h.json('POST', `/v1/requests/${denied.id}/reviews`, 'bob', {
      decision: 'deny',
      reason: 'too wide',
    });
    const revoked = await approve(h, (await open(h, 4)).id);
    await h.json('POST', `/v1/requests/${revoked.id}/revoke`, 'alice', { reason: 'done' });
    const expired = await open(h, 5);
    h.clock.set(Date.parse(approved.expiresAt) - 1000);
    const before = await h.snapshot();
    const body = { stack: requestBody.stack, items: [1, 2, 3, 4, 6].map((n) => item(fp(n))) };
    const { results } = await h.json<{ results: CheckResult[] }>(
      'POST',
      '/v1/checks',
      'carol',
      body,
    );
    expect(results).toEqual([
      {
        ...item(fp(1)),
        status: 'approved',
        id: approved.id,
        token: approved.token,
        expiresAt: approved.expiresAt,
      },
      {
        ...item(fp(2)),
        status: 'pending',
        id: pending.id,
        url: pending.url,
        progress: '1 of 2 managers',
      },
      {
        ...item(fp(3)),
        status: 'denied',
        id: denied.id,
        url: denied.url,
        deniedBy: 'bob',
        reason: 'too wide',
      },
      {
        ...item(fp(4)),
        status: 'revoked',
        id: revoked.id,
        url: revoked.url,
        revokedBy: 'alice',
        revokedAt: '2026-01-05T09:00:00.000Z',
      },
      { ...item(fp(6)), status: 'none' },
    ]);
    h.clock.advanceSeconds(86_400);
    const [lapsed] = (
      await h.json<{ results: CheckResult[] }>('POST', '/v1/checks', 'carol', {
        stack: requestBody.stack,
        items: [item(fp(5))],
      })
    ).results;
    expect(lapsed).toEqual({
      ...item(fp(5)),
      status: 'expired',
      id: expired.id,
      url: expired.url,
      expiredAt: expired.expiresAt,
    });
    expect(await h.snapshot()).toEqual(before);
  });

  it('answers thousands of items in one call, for the named stack only', async () => {
    const h = await appHarness();
    await approve(h, (await open(h, 7)).id);
    const items = Array.from({ length: 5000 }, (_, i) => item(fp(i % 256)));
    const { results } = await h.json<{ results: CheckResult[] }>('POST', '/v1/checks', 'carol', {
      stack: requestBody.stack,
      items,
    });
    expect(results).toHaveLength(5000);
    expect(results.filter((r) => r.status === 'approved')).toHaveLength(
      items.filter((i) => i.fingerprint === fp(7)).length,
    );
    const other = await h.json<{ results: CheckResult[] }>('POST', '/v1/checks', 'carol', {
      stack: 'acme/web/dev',
      items: [item(fp(7))],
    });
    expect(other.results[0]?.status).toBe('none');
  });
});

describe('GET /v1/approvals', () => {
  it('returns the active approvals of a stack with their tokens and the keys', async () => {
    const h = await appHarness();
    const active = await approve(h, (await open(h, 1)).id);
    const revoked = await approve(h, (await open(h, 2)).id);
    await h.json('POST', `/v1/requests/${revoked.id}/revoke`, 'carol');
    await open(h, 3);
    const res = await h.json<ApprovalsResponse>(
      'GET',
      `/v1/approvals?stack=${encodeURIComponent(requestBody.stack)}`,
      'carol',
    );
    expect(res.approvals).toEqual([
      {
        id: active.id,
        urn: active.urn,
        policy: active.policy,
        fingerprint: active.fingerprint,
        token: active.token,
        expiresAt: active.expiresAt,
      },
    ]);
    expect(res.keys.keys.map((k) => k.kid)).toEqual([h.signer.kid]);
    h.clock.set(active.expiresAt);
    expect(
      (await h.json<ApprovalsResponse>('GET', `/v1/approvals?stack=${requestBody.stack}`, 'carol'))
        .approvals,
    ).toEqual([]);
    const bad = await h.call('GET', '/v1/approvals?stack=nope', { as: 'carol' });
    expect(bad.status).toBe(400);
  });
});

describe('GET /v1/approvals, the other requests', () => {
  it('lists the newest request of every state without an active approval, as checks answer it', async () => {
    const h = await appHarness();
    await approve(h, (await open(h, 1)).id);
    const pending = await open(h, 2);
    const revoked = await approve(h, (await open(h, 3)).id);
    await h.json('POST', `/v1/requests/${revoked.id}/revoke`, 'carol');
    const res = await h.json<ApprovalsResponse>(
      'GET',
      `/v1/approvals?stack=${encodeURIComponent(requestBody.stack)}`,
      'carol',
    );
    const checks = await h.json<{ results: CheckResult[] }>('POST', '/v1/checks', 'carol', {
      stack: requestBody.stack,
      items: [item(fp(2)), item(fp(3))],
    });
    const byFingerprint = (list: CheckResult[]) =>
      [...list].sort((a, b) => a.fingerprint.localeCompare(b.fingerprint));
    expect(byFingerprint(res.requests ?? [])).toEqual(byFingerprint(checks.results));
    expect(res.requests?.map((r) => r.status).sort()).toEqual(['pending', 'revoked']);
    expect(res.requests?.find((r) => r.status === 'pending')).toMatchObject({ id: pending.id });
  });
});

describe('POST /v1/requests from a run', () => {
  it('puts the block on record with the request it opens or finds pending: one call per miss', async () => {
    const h = await appHarness();
    const run = { id: 'run-7', dryRun: true };
    const opened = await h.json<RequestView>('POST', '/v1/requests', 'carol', {
      ...change(1),
      run,
    });
    const again = await h.json<RequestView>('POST', '/v1/requests', 'carol', { ...change(1), run });
    expect(again.id).toBe(opened.id);
    await open(h, 2);
    const blocked = await h.store.readAudit({ action: 'run.blocked' });
    expect(blocked.map((e) => [e.subject, e.data?.runId, e.data?.fingerprint])).toEqual([
      [opened.id, 'run-7', fp(1)],
      [opened.id, 'run-7', fp(1)],
    ]);
  });
});

describe('POST /v1/runs', () => {
  it('records the runs that used an approval and the resources a run blocked', async () => {
    const h = await appHarness();
    const approved = await approve(h, (await open(h, 1)).id);
    const pending = await open(h, 2);
    const report = {
      stack: requestBody.stack,
      run: { id: 'run-42', dryRun: false },
      used: [approved.id],
      blocked: [{ ...item(fp(2)), requestId: pending.id }],
    };
    const res = await h.call('POST', '/v1/runs', { as: 'carol', body: report });
    expect(res.status).toBe(204);
    expect(
      (await h.call('POST', '/v1/runs', { as: 'carol', body: { ...report, blocked: [] } })).status,
    ).toBe(204);
    const read = await h.json('GET', `/v1/requests/${approved.id}`, 'carol');
    expect(read.runs).toEqual([{ runId: 'run-42', dryRun: false, at: '2026-01-05T09:00:00.000Z' }]);
    const used = await h.store.readAudit({ action: 'run.used' });
    expect(used.map((e) => [e.actor, e.subject, e.data?.runId])).toEqual([
      ['carol', approved.id, 'run-42'],
    ]);
    const blocked = await h.store.readAudit({ action: 'run.blocked' });
    expect(blocked.map((e) => [e.subject, e.data?.fingerprint])).toEqual([[pending.id, fp(2)]]);
  });

  it('takes a run report only from who may request under the rules it names', async () => {
    const base = await appHarness();
    const defaultRule = { ...base.config.defaultRule, requesterGroups: ['deployers'] };
    const h = await appHarness({ defaultRule });
    const report = {
      stack: requestBody.stack,
      run: { id: 'run-7', dryRun: true },
      used: [],
      blocked: [item(fp(3))],
    };
    const before = await h.snapshot();
    const res = await h.call('POST', '/v1/runs', { as: 'alice', body: report });
    expect(res.status).toBe(403);
    expect(await errorOf(res)).toMatchObject({ code: 'ERR_REQUESTER_NOT_ALLOWED' });
    expect(await h.snapshot()).toEqual(before);
    expect((await h.call('POST', '/v1/runs', { as: 'carol', body: report })).status).toBe(204);
    const blocked = await h.store.readAudit({ action: 'run.blocked' });
    expect(blocked.map((e) => [e.actor, e.data?.runId])).toEqual([['carol', 'run-7']]);
  });

  it('tags the requests a run opened or was blocked by, and lists them by run', async () => {
    const h = await appHarness();
    const opened = await h.json<RequestView>('POST', '/v1/requests', 'carol', {
      ...change(1),
      run: { id: 'gh-1-1', dryRun: true },
    });
    const other = await open(h, 2);
    await h.json<RequestView>('POST', '/v1/requests', 'carol', {
      ...change(1),
      run: { id: 'gh-2-1', dryRun: true },
    });
    const report = {
      stack: requestBody.stack,
      run: { id: 'gh-2-1', dryRun: true },
      used: [],
      blocked: [{ ...item(fp(2)), requestId: other.id }],
    };
    expect((await h.call('POST', '/v1/runs', { as: 'carol', body: report })).status).toBe(204);
    const ofRun = async (run: string) =>
      (
        await h.json<{ requests: RequestView[] }>('GET', `/v1/requests?run=${run}`, 'carol')
      ).requests
        .map((r) => r.id)
        .sort();
    expect(await ofRun('gh-1-1')).toEqual([opened.id]);
    expect(await ofRun('gh-2-1')).toEqual([opened.id, other.id].sort());
    expect(await ofRun('gh-3-1')).toEqual([]);
  });

  it('records the preview and the update of one CI run id each', async () => {
    const h = await appHarness();
    const approved = await approve(h, (await open(h, 1)).id);
    for (const dryRun of [true, false, false]) {
      const body = {
        stack: requestBody.stack,
        run: { id: 'gl-9', dryRun },
        used: [approved.id],
        blocked: [],
      };
      expect((await h.call('POST', '/v1/runs', { as: 'carol', body })).status).toBe(204);
    }
    const read = await h.json<RequestView>('GET', `/v1/requests/${approved.id}`, 'carol');
    expect(read.runs.map((r) => [r.runId, r.dryRun])).toEqual([
      ['gl-9', true],
      ['gl-9', false],
    ]);
  });

  it('refuses a report naming an unknown approval, writing nothing', async () => {
    const h = await appHarness();
    const approved = await approve(h, (await open(h, 1)).id);
    const before = await h.snapshot();
    const res = await h.call('POST', '/v1/runs', {
      as: 'carol',
      body: {
        stack: requestBody.stack,
        run: { id: 'r', dryRun: true },
        used: [approved.id, 'req_nope'],
        blocked: [],
      },
    });
    expect((await errorOf(res)).code).toBe('ERR_NOT_FOUND');
    expect(await h.snapshot()).toEqual(before);
  });

  it('refuses a blocked item naming a request of another resource, writing nothing', async () => {
    const h = await appHarness();
    const approved = await approve(h, (await open(h, 1)).id);
    const other = await h.json(
      'POST',
      '/v1/requests',
      'carol',
      requestFor({ urn: `${requestBody.urn}-other` }),
    );
    const before = await h.snapshot();
    const report = (requestId: string) => ({
      stack: requestBody.stack,
      run: { id: 'r', dryRun: true },
      used: [approved.id],
      blocked: [{ ...item(fp(2)), requestId }],
    });
    for (const requestId of [other.id, 'req_nope']) {
      const res = await h.call('POST', '/v1/runs', { as: 'carol', body: report(requestId) });
      expect(await errorOf(res)).toEqual({
        status: 404,
        code: 'ERR_NOT_FOUND',
        message: `blocked: no request ${requestId} for ${requestBody.urn} under ${requestBody.policy} on stack ${requestBody.stack}`,
      });
    }
    expect(await h.snapshot()).toEqual(before);
  });
});

describe('GET /v1/requests', () => {
  it('lists newest first, filtered by effective status and stack', async () => {
    const h = await appHarness();
    const a = await open(h, 1);
    h.clock.advanceSeconds(1);
    const b = await h.json('POST', '/v1/requests', 'carol', requestFor({ stack: 'acme/web/dev' }));
    h.clock.advanceSeconds(1);
    const c = await approve(h, (await open(h, 3)).id);
    const list = async (q: string) =>
      (await h.json<{ requests: RequestView[] }>('GET', `/v1/requests${q}`, 'carol')).requests.map(
        (r) => r.id,
      );
    expect(await list('')).toEqual([c.id, b.id, a.id]);
    expect(await list('?status=pending')).toEqual([b.id, a.id]);
    expect(await list('?status=approved,pending&stack=acme/web/prod')).toEqual([c.id, a.id]);
    h.clock.advanceSeconds(3600);
    expect(await list('?status=expired')).toEqual([c.id]);
    expect(await list('?status=approved')).toEqual([]);
    expect((await h.call('GET', '/v1/requests?status=maybe', { as: 'carol' })).status).toBe(400);
  });
});

describe('POST /v1/requests/:id/revoke', () => {
  it('lets the requester or an approver revoke, and nobody else', async () => {
    const h = await appHarness();
    const { id } = await h.json('POST', '/v1/requests', 'alice', requestBody);
    const res = await h.call('POST', `/v1/requests/${id}/revoke`, { as: 'carol', body: {} });
    expect(await errorOf(res)).toMatchObject({ status: 403, code: 'ERR_FORBIDDEN' });
    const revoked = await h.json('POST', `/v1/requests/${id}/revoke`, 'bob', {
      reason: 'not needed',
    });
    expect(revoked).toMatchObject({ status: 'revoked', revokedBy: 'bob' });
    const twice = await h.call('POST', `/v1/requests/${id}/revoke`, { as: 'bob' });
    expect(await errorOf(twice)).toMatchObject({ status: 409, code: 'ERR_ALREADY_DECIDED' });
  });
});

describe('GET /v1/audit', () => {
  it('filters the trail and exports it as JSON Lines', async () => {
    const h = await appHarness();
    const approved = await approve(h, (await open(h, 1)).id);
    const entries = async (q: string) =>
      (await h.json<{ entries: AuditEntry[] }>('GET', `/v1/audit${q}`, 'alice')).entries;
    expect((await entries('?actor=bob')).map((e) => e.action)).toEqual([
      'review.approve',
      'request.approved',
      'token.issued',
    ]);
    expect(
      (await entries(`?subject=${approved.id}&action=review.approve&limit=1`)).map((e) => e.actor),
    ).toHaveLength(1);
    const res = await h.call('GET', '/v1/audit?format=jsonl', { as: 'alice' });
    expect(res.headers.get('content-type')).toBe(JSON_LINES_CONTENT_TYPE);
    const lines = (await res.text())
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as AuditEntry);
    expect(lines.map((l) => l.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(lines[1]?.prevHash).toBe(lines[0]?.hash);
    expect((await h.call('GET', '/v1/audit?action=nope', { as: 'alice' })).status).toBe(400);
  });

  it('is for auditors and approvers of any rule, not for requesters', async () => {
    const extra = (id: string, groups: string[]) => ({
      id,
      name: id,
      groups,
      apiTokenSha256: hashApiToken(`token-${id}`),
    });
    const base = await appHarness();
    const dbRule = {
      ...base.config.defaultRule,
      name: 'db',
      policies: ['*'],
      stacks: ['acme/db/prod'],
      approverGroups: ['dba'],
    };
    const h = await appHarness({
      users: [...base.config.users, extra('erin', ['auditors']), extra('dana', ['dba'])],
      rules: [dbRule],
    });
    await open(h, 1);
    const read = (token: string, query = '') =>
      h.call('GET', `/v1/audit${query}`, { headers: { authorization: `Bearer ${token}` } });
    const before = await h.snapshot();
    for (const [token, status] of [
      ['demo-alice', 200],
      ['token-erin', 200],
      ['token-dana', 200],
      ['demo-carol', 403],
    ] as const) {
      expect({ token, status: (await read(token)).status }).toEqual({ token, status });
    }
    expect(await errorOf(await read('demo-carol', '?format=jsonl'))).toEqual({
      status: 403,
      code: 'ERR_FORBIDDEN',
      message:
        'only auditors and approvers may read the audit trail (see auditorGroups in the service config)',
    });
    expect((await read('demo-carol', '?action=nope')).status).toBe(403);
    expect(await h.snapshot()).toEqual(before);
    const compliance = await appHarness({
      users: [...base.config.users, extra('erin', ['auditors']), extra('fay', ['compliance'])],
      auditorGroups: ['compliance'],
    });
    const as = (token: string) =>
      compliance.call('GET', '/v1/audit', { headers: { authorization: `Bearer ${token}` } });
    expect((await as('token-fay')).status).toBe(200);
    expect((await as('token-erin')).status).toBe(403);
  });
});
