import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import type { RequestView } from '@clearance/client';
import { loadConfig } from '../config/load-config.js';
import type { ServiceConfig } from '../config/config-schema.js';
import type { NeedsReview } from '../service/break-glass.js';
import {
  appHarness,
  demoConfigPath,
  errorOf,
  requestBody,
  type Harness,
} from './app-harness.case.js';

/**
 * The demo config where carol (a deployer) is also on call (sre-oncall) and alice (a manager)
 * is in security: the default rule lets sre-oncall break the glass for at most 30 minutes, for
 * security to review within a day.
 */
function glassConfig(): Partial<ServiceConfig> {
  const demo = loadConfig(demoConfigPath);
  const extra: Record<string, string> = { carol: 'sre-oncall', alice: 'security' };
  return {
    users: demo.users.map((u) => {
      const group = extra[u.id];
      return group ? { ...u, groups: [...u.groups, group] } : u;
    }),
    defaultRule: {
      ...demo.defaultRule,
      breakGlass: {
        groups: ['sre-oncall'],
        maxDurationSeconds: 1800,
        reasonRequired: true,
        reviewerGroups: ['security'],
        reviewWithinSeconds: 86_400,
      },
    },
  };
}

async function opened(): Promise<{ h: Harness; id: string }> {
  const h = await appHarness(glassConfig());
  const { id } = await h.json<RequestView>('POST', '/v1/requests', 'carol', requestBody);
  return { h, id };
}

const breakGlass = (h: Harness, id: string, as: 'alice' | 'bob' | 'carol', body: object) =>
  h.call('POST', `/v1/requests/${id}/break-glass`, { as, body });
const reviewGlass = (h: Harness, id: string, as: 'alice' | 'bob' | 'carol', body: object) =>
  h.call('POST', `/v1/requests/${id}/break-glass/review`, { as, body });
const needsReview = async (h: Harness) =>
  (await h.json<{ needsReview: NeedsReview[] }>('GET', '/v1/break-glass', 'alice')).needsReview;

describe('break-glass over the API', () => {
  it('within the limits: the requester approves at once, the token says breakGlass, reviewers are told', async () => {
    const { h, id } = await opened();
    const res = await breakGlass(h, id, 'carol', {
      reason: 'checkout is down',
      durationSeconds: 900,
    });
    expect(res.status).toBe(200);
    const view = (await res.json()) as RequestView;
    expect(view.status).toBe('approved');
    expect(view.breakGlass).toMatchObject({
      by: 'carol',
      reason: 'checkout is down',
      grantedSeconds: 900,
    });
    const claims = decodeJwt(view.token ?? '');
    expect([claims.breakGlass, claims.approvers, (claims.exp ?? 0) - (claims.iat ?? 0)]).toEqual([
      true,
      ['carol'],
      900,
    ]);
    expect(h.notifications.map((n) => n.type)).toEqual([
      'request.created',
      'request.break-glass',
      'request.approved',
    ]);
    const audit = await h.store.readAudit();
    expect(audit.find((e) => e.action === 'request.break-glass')).toMatchObject({
      actor: 'carol',
      subject: id,
      data: { reason: 'checkout is down', selfApproved: true, reviewerGroups: ['security'] },
    });
    expect(await needsReview(h)).toMatchObject([{ request: { id }, overdue: false }]);
    const approvals = await h.json<{ approvals: { id: string }[] }>(
      'GET',
      `/v1/approvals?stack=${encodeURIComponent(requestBody.stack)}`,
      'carol',
    );
    expect(approvals.approvals.map((a) => a.id)).toEqual([id]);
  });

  it('outside the group: refused, nothing written', async () => {
    const { h, id } = await opened();
    const before = await h.snapshot();
    expect(await errorOf(await breakGlass(h, id, 'bob', { reason: 'x' }))).toMatchObject({
      status: 403,
      code: 'ERR_NOT_ELIGIBLE',
    });
    expect(await h.snapshot()).toEqual(before);
  });

  it('over the duration, or without a reason: refused, nothing written', async () => {
    const { h, id } = await opened();
    const before = await h.snapshot();
    const long = { reason: 'x', durationSeconds: 1801 };
    expect(await errorOf(await breakGlass(h, id, 'carol', long))).toMatchObject({
      status: 400,
      code: 'ERR_DURATION_TOO_LONG',
    });
    expect((await errorOf(await breakGlass(h, id, 'carol', { reason: ' ' }))).code).toBe(
      'ERR_VALIDATION',
    );
    expect(await h.snapshot()).toEqual(before);
  });

  it('a rule without break-glass refuses it', async () => {
    const h = await appHarness();
    const { id } = await h.json<RequestView>('POST', '/v1/requests', 'carol', requestBody);
    expect(await errorOf(await breakGlass(h, id, 'alice', { reason: 'x' }))).toMatchObject({
      status: 403,
      code: 'ERR_BREAK_GLASS_NOT_ALLOWED',
    });
  });

  it('the review afterwards: only a reviewer, never the one who broke it; acknowledged, it leaves the list', async () => {
    const { h, id } = await opened();
    await breakGlass(h, id, 'carol', { reason: 'checkout is down' });
    const ack = { outcome: 'acknowledge', reason: 'seen the incident' };
    expect((await errorOf(await reviewGlass(h, id, 'carol', ack))).code).toBe('ERR_SELF_REVIEW');
    expect((await errorOf(await reviewGlass(h, id, 'bob', ack))).code).toBe('ERR_NOT_ELIGIBLE');
    const res = await reviewGlass(h, id, 'alice', ack);
    expect(res.status).toBe(200);
    expect(((await res.json()) as RequestView).breakGlass?.review).toMatchObject({
      reviewer: 'alice',
      outcome: 'acknowledged',
    });
    expect(await needsReview(h)).toEqual([]);
    expect((await errorOf(await reviewGlass(h, id, 'alice', ack))).code).toBe(
      'ERR_ALREADY_DECIDED',
    );
  });

  it('a flagged one is sent as a webhook event and reported in the audit export', async () => {
    const { h, id } = await opened();
    await breakGlass(h, id, 'carol', { reason: 'checkout is down' });
    await reviewGlass(h, id, 'alice', { outcome: 'flag', reason: 'no incident was open' });
    expect(h.notifications.at(-1)).toMatchObject({
      type: 'break-glass.flagged',
      request: { id, breakGlass: { review: { outcome: 'flagged', reviewer: 'alice' } } },
    });
    const exported = await (await h.call('GET', '/v1/audit/export', { as: 'alice' })).text();
    const flagged = exported
      .split('\n')
      .filter((line) => line.includes('"break-glass.flagged"'))
      .map((line) => JSON.parse(line) as { subject: string; data: Record<string, unknown> });
    expect(flagged).toMatchObject([
      {
        subject: id,
        data: {
          reason: 'no incident was open',
          brokenBy: 'carol',
          breakGlassReason: 'checkout is down',
        },
      },
    ]);
  });

  it('the overdue review: still listed, marked overdue once the review time has passed', async () => {
    const { h, id } = await opened();
    await breakGlass(h, id, 'carol', { reason: 'checkout is down' });
    h.clock.advanceSeconds(86_399);
    expect(await needsReview(h)).toMatchObject([{ request: { id }, overdue: false }]);
    h.clock.advanceSeconds(1);
    expect(await needsReview(h)).toMatchObject([
      { request: { id, status: 'expired' }, overdue: true },
    ]);
    const late = await reviewGlass(h, id, 'alice', { outcome: 'acknowledge', reason: '' });
    expect(late.status).toBe(200);
    const audit = await h.store.readAudit();
    expect(audit.at(-1)).toMatchObject({
      action: 'break-glass.acknowledged',
      data: { overdue: true },
    });
  });
});
