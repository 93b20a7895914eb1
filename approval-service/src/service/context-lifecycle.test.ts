import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApprovalSet, type ApprovalsResponse, type RequestView } from '@clearance/client';
import { validateConfig } from '../config/load-config.js';
import { appHarness, errorOf, requestBody, requestFor } from '../http/app-harness.case.js';
import { startStatusStandIn, type StatusStandIn } from './status-stand-in.case.js';

let standIn: StatusStandIn;
beforeAll(async () => {
  standIn = await startStatusStandIn();
});
afterAll(() => standIn.close());

const managers = { approverGroups: ['managers'], maxDurationSeconds: 3600 };

/** The demo config with these rules, freezes and conditions; the clock at Mon 5 Jan 2026 09:00Z. */
async function harness(context: Record<string, unknown>) {
  const parsed = validateConfig({ defaultRule: { approvals: 2, ...managers }, ...context }, 'test');
  const { rules, freezes, conditions } = parsed;
  return appHarness({ rules, freezes, conditions, defaultRule: parsed.defaultRule });
}

type Harness = Awaited<ReturnType<typeof harness>>;

const approve = (h: Harness, id: string, as: 'alice' | 'bob' | 'carol') =>
  h.call('POST', `/v1/requests/${id}/reviews`, { as, body: { decision: 'approve' } });

async function approvedToken(h: Harness): Promise<RequestView> {
  const request = await h.json('POST', '/v1/requests', 'carol', requestBody);
  expect((await approve(h, request.id, 'alice')).status).toBe(200);
  const done = await h.json('POST', `/v1/requests/${request.id}/reviews`, 'bob', {
    decision: 'approve',
  });
  expect(done.status).toBe('approved');
  return done;
}

async function packSet(h: Harness): Promise<ApprovalSet> {
  const response = await h.json<ApprovalsResponse>(
    'GET',
    `/v1/approvals?stack=${requestBody.stack}`,
    'carol',
  );
  return ApprovalSet.fromResponse(response, { clock: h.clock });
}

async function packRefusal(h: Harness): Promise<string[]> {
  const lookup = await (await packSet(h)).find(requestBody);
  return lookup.ok ? [] : lookup.refusals.map((r) => `${r.error.code}: ${r.error.message}`);
}

const yearEnd = {
  name: 'year-end',
  timeZone: 'Europe/Paris',
  start: '2026-01-05T10:30',
  end: '2026-01-06T08:00',
};

describe('change freezes', () => {
  it('refuses an approval during a freeze, naming it and when it ends', async () => {
    const h = await harness({ freezes: [{ ...yearEnd, start: '2026-01-05T08:00' }] });
    const request = await h.json('POST', '/v1/requests', 'carol', requestBody);
    const refused = await errorOf(await approve(h, request.id, 'alice'));
    expect(refused).toEqual({
      status: 403,
      code: 'ERR_FROZEN',
      message:
        'the change freeze "year-end" is on until 2026-01-06T07:00:00.000Z; rule "default" allows no approval during it',
    });
    expect((await h.store.getRequest(request.id))?.reviews).toEqual([]);
  });

  it('the pack refuses a token issued before a freeze once the freeze is on', async () => {
    const h = await harness({ freezes: [yearEnd] });
    const done = await approvedToken(h);
    expect(decodeJwt(done.token ?? '').freezes).toEqual([
      {
        name: 'year-end',
        start: Date.parse('2026-01-05T09:30:00Z') / 1000,
        end: Date.parse('2026-01-06T07:00:00Z') / 1000,
      },
    ]);
    expect(await packRefusal(h)).toEqual([]);
    h.clock.advanceSeconds(30 * 60);
    expect(await packRefusal(h)).toEqual([
      'ERR_FROZEN: the approval is not valid during the change freeze "year-end" (until 2026-01-06T07:00:00.000Z)',
    ]);
  });

  it('allows break-glass during a freeze when the rule does', async () => {
    const h = await harness({
      freezes: [{ ...yearEnd, start: '2026-01-05T08:00' }],
      rules: [{ name: 'break-glass', approvals: 2, breakGlassDuringFreezes: true, ...managers }],
    });
    const done = await approvedToken(h);
    const claims = decodeJwt(done.token ?? '');
    expect([claims.freezes, claims.breakGlass]).toEqual([undefined, true]);
    const answer = await h.json<ApprovalsResponse>(
      'GET',
      `/v1/approvals?stack=${requestBody.stack}`,
      'carol',
    );
    expect(answer.freezes?.map((f) => f.name)).toEqual(['year-end']);
    expect(await packRefusal(h)).toEqual([]);
  });
});

describe('status conditions at decision and deploy time', () => {
  const incident = (path: string, extra: Record<string, unknown> = {}) => ({
    name: 'incident-open',
    url: `${standIn.url}${path}`,
    path: '$.open',
    equals: true,
    cacheSeconds: 10,
    ...extra,
  });

  it('refuses an approval while a decision-time condition does not hold, and audits it', async () => {
    standIn.answer('/quiet', { json: { open: false } });
    const h = await harness({
      conditions: [incident('/quiet')],
      rules: [
        {
          name: 'incident-only',
          approvals: 2,
          conditions: [{ condition: 'incident-open', at: 'decision' }],
          ...managers,
        },
      ],
    });
    const request = await h.json('POST', '/v1/requests', 'carol', requestBody);
    const refused = await errorOf(await approve(h, request.id, 'alice'));
    expect([refused.status, refused.code]).toEqual([403, 'ERR_CONDITION_FAILED']);
    expect(refused.message).toBe(
      'rule "incident-only" requires the condition "incident-open" to approve: condition "incident-open" does not hold: $.open is false, expected true',
    );
    const audited = await h.store.readAudit({ action: 'condition.evaluated' });
    expect(audited.map((e) => [e.actor, e.subject, e.data?.holds, e.data?.at])).toEqual([
      ['alice', request.id, false, 'decision'],
    ]);
  });

  it('refuses one who may not decide before asking any endpoint or auditing anything', async () => {
    standIn.answer('/asked', { json: { open: true } });
    const h = await harness({
      freezes: [{ ...yearEnd, start: '2026-01-05T08:00' }],
      conditions: [incident('/asked')],
      rules: [
        {
          name: 'incident-only',
          approvals: 2,
          conditions: [{ condition: 'incident-open', at: 'decision' }],
          ...managers,
        },
      ],
    });
    const request = await h.json('POST', '/v1/requests', 'carol', requestBody);
    const own = await errorOf(await approve(h, request.id, 'carol'));
    expect(own.code).toBe('ERR_SELF_REVIEW');
    expect(standIn.hits('/asked')).toBe(0);
    expect(await h.store.readAudit({ action: 'condition.evaluated' })).toEqual([]);
  });

  it('the approvals answer carries the deploy-time verdict; a condition turned false blocks', async () => {
    standIn.answer('/incident', { json: { open: true } });
    const h = await harness({
      conditions: [incident('/incident')],
      rules: [
        {
          name: 'incident-only',
          approvals: 2,
          conditions: [{ condition: 'incident-open', at: 'both' }],
          ...managers,
        },
      ],
    });
    const done = await approvedToken(h);
    expect(decodeJwt(done.token ?? '').conditions).toEqual([{ condition: 'incident-open' }]);
    expect(await packRefusal(h)).toEqual([]);
    standIn.answer('/incident', { json: { open: false } });
    h.clock.advanceSeconds(10);
    expect(await packRefusal(h)).toEqual([
      'ERR_CONDITION_FAILED: the approval requires the condition "incident-open" at deploy time: condition "incident-open" does not hold: $.open is false, expected true',
    ]);
    // Each decision puts its verdict on record; a run, only a verdict it asked for afresh.
    const audited = await h.store.readAudit({ action: 'condition.evaluated' });
    expect(audited.map((e) => [e.actor, e.data?.at, e.data?.holds, e.data?.cached])).toEqual([
      ['alice', 'decision', true, false],
      ['bob', 'decision', true, true],
      ['carol', 'deploy', false, false],
    ]);
  });

  it('fails closed on an unanswered check, or open when the rule says so, on record', async () => {
    const closed = await startStatusStandIn();
    await closed.close();
    const rule = (failOpen: boolean) => ({
      conditions: [incident('/gone', { url: `${closed.url}/gone` })],
      rules: [
        {
          name: 'watched',
          approvals: 2,
          conditions: [{ condition: 'incident-open', at: 'deploy', failOpen }],
          ...managers,
        },
      ],
    });
    const shut = await harness(rule(false));
    await approvedToken(shut);
    const [why] = await packRefusal(shut);
    expect(why).toMatch(
      /^ERR_CONDITION_FAILED: the approval requires the condition "incident-open" at deploy time: condition "incident-open" could not be checked: the endpoint is unreachable/,
    );
    const open = await harness(rule(true));
    await approvedToken(open);
    expect(await packRefusal(open)).toEqual([]);
    const [event] = await open.store.readAudit({ action: 'condition.evaluated' });
    expect(event?.data).toMatchObject({ holds: null, at: 'deploy', failedOpen: true });
  });

  it('a rule that applies only while an incident is open, and break-glass in a freeze', async () => {
    standIn.answer('/only-when', { json: { open: true } });
    const h = await harness({
      freezes: [{ ...yearEnd, start: '2026-01-05T08:00' }],
      conditions: [incident('/only-when', { cacheSeconds: 0 })],
      rules: [
        {
          name: 'incident-break-glass',
          onlyWhen: 'incident-open',
          breakGlassDuringFreezes: true,
          approvals: 1,
          ...managers,
        },
      ],
    });
    const during = await h.json('POST', '/v1/requests', 'carol', requestBody);
    expect(during.requirements.rule).toBe('incident-break-glass');
    const done = await h.json('POST', `/v1/requests/${during.id}/reviews`, 'alice', {
      decision: 'approve',
    });
    expect(done.status).toBe('approved');
    standIn.answer('/only-when', { json: { open: false } });
    const other = await h.json('POST', '/v1/requests', 'carol', requestFor({ material: { n: 2 } }));
    expect(other.requirements.rule).toBe('default');
  });
});

describe('on-call auto-approval', () => {
  const onCall = {
    name: 'on-call',
    url: `{standIn}/on-call/{requester}`,
    path: '$.onCall',
    equals: true,
  };
  const config = (approvals: number | 'all') => ({
    conditions: [{ ...onCall, url: onCall.url.replace('{standIn}', standIn.url) }],
    rules: [
      {
        name: 'on-call',
        approvals: 2,
        autoApprove: { condition: 'on-call', approvals },
        ...managers,
      },
    ],
  });

  it('counts as one approval of the quorum, marked as the condition in the token and audit', async () => {
    standIn.answer('/on-call/carol', { json: { onCall: true } });
    const h = await harness(config(1));
    const opened = await h.json('POST', '/v1/requests', 'carol', requestBody);
    expect(opened.progress.text).toBe('1 of 2 managers');
    const done = await h.json('POST', `/v1/requests/${opened.id}/reviews`, 'alice', {
      decision: 'approve',
    });
    expect(done.status).toBe('approved');
    const claims = decodeJwt(done.token ?? '');
    expect([claims.approvers, claims.autoApprovals]).toEqual([
      ['alice'],
      [{ condition: 'on-call', approvals: 1 }],
    ]);
    const reviews = await h.store.readAudit({ action: 'review.approve' });
    expect(reviews.map((e) => e.actor)).toEqual(['condition:on-call', 'alice']);
    expect(await packRefusal(h)).toEqual([]);
  });

  it('counts as all of the quorum: approved when opened', async () => {
    standIn.answer('/on-call/carol', { json: { onCall: true } });
    const h = await harness(config('all'));
    const opened = await h.json('POST', '/v1/requests', 'carol', requestBody);
    expect(opened.status).toBe('approved');
    expect(decodeJwt(opened.token ?? '').approvers).toEqual([]);
    expect(await packRefusal(h)).toEqual([]);
  });

  it('is refused when the endpoint says no: the request waits for people', async () => {
    standIn.answer('/on-call/carol', { json: { onCall: false } });
    const h = await harness(config('all'));
    const opened = await h.json('POST', '/v1/requests', 'carol', requestBody);
    expect([opened.status, opened.progress.text]).toEqual(['pending', '0 of 2 managers']);
    const [event] = await h.store.readAudit({ action: 'condition.evaluated' });
    expect(event?.data).toMatchObject({ condition: 'on-call', holds: false, at: 'request' });
  });
});
