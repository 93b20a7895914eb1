import { describe, expect, it } from 'vitest';
import { ClearanceError, SecretValue } from '@clearance/client';
import { FakeService, finding, resource, run, unreachable } from '../testing/index.js';
import { gateItem, type GateItem } from './gate-item.js';
import { MissingApprovals } from './missing-approvals.js';

function item(name: string, cidr = '0.0.0.0/0'): GateItem {
  return gateItem(run, 'aws-security-group-open-ingress', resource(name), finding(cidr));
}

function setup() {
  const service = new FakeService();
  const missing = new MissingApprovals({ service, run, batchWindowMs: 0 });
  return { service, missing };
}

describe('MissingApprovals', () => {
  it('checks concurrent misses in one call and opens one request per state', async () => {
    const { service, missing } = setup();
    const [a, b, again] = await Promise.all([
      missing.resolve(item('a')),
      missing.resolve(item('b')),
      missing.resolve(item('a')),
    ]);
    expect(service.count('checks')).toBe(1);
    expect(service.calls[0]?.body).toMatchObject({
      stack: 'acme/shop/prod',
      run: { id: 'run_test', dryRun: true },
    });
    expect(service.count('createRequest')).toBe(2);
    expect(a).toMatchObject({ kind: 'pending', created: true, request: { id: 'req_1' } });
    expect(b).toMatchObject({ kind: 'pending', request: { id: 'req_2' } });
    expect(again).toBe(a);
    await missing.resolve(item('a'));
    expect(service.count('checks')).toBe(1);
  });

  it('opens the request with the run context, a reason and redacted material', async () => {
    const { service, missing } = setup();
    const it = item('web');
    it.finding.material = { password: new SecretValue('hunter2') };
    await missing.resolve(it);
    const body = service.calls.find((c) => c.method === 'createRequest')?.body;
    expect(body).toMatchObject({
      ...it.binding,
      type: it.type,
      summary: it.finding.summary,
      reason: 'requested by the policy pack during preview of acme/shop/prod (run run_test)',
      run: { id: 'run_test', dryRun: true },
    });
    expect(JSON.stringify(body)).not.toContain('hunter2');
    expect(JSON.stringify(body)).toContain('$secretSha256');
  });

  it('sends the program’s property names of the material with the request', async () => {
    const { service, missing } = setup();
    const named = item('named');
    named.finding.propertyNames = { 'openIngress[0].cidr': 'ingress[0].cidrBlocks[0]' };
    await missing.resolve(named);
    await missing.resolve(item('plain'));
    const bodies = service.calls.filter((c) => c.method === 'createRequest').map((c) => c.body);
    expect(bodies[0]).toMatchObject({
      propertyNames: { 'openIngress[0].cidr': 'ingress[0].cidrBlocks[0]' },
    });
    expect(bodies[1]).not.toHaveProperty('propertyNames');
  });

  it('reuses a pending request without opening another', async () => {
    const { service, missing } = setup();
    const it = item('web');
    const { urn, policy, fingerprint } = it.binding;
    service.checkResults.set(it.key, {
      urn,
      policy,
      fingerprint,
      status: 'pending',
      id: 'req_9',
      url: 'http://clearance.test/requests/req_9',
      progress: '1 of 2 managers',
    });
    const outcome = await missing.resolve(it);
    expect(outcome).toEqual({
      kind: 'pending',
      created: false,
      request: {
        id: 'req_9',
        url: 'http://clearance.test/requests/req_9',
        progress: '1 of 2 managers',
      },
    });
    expect(service.count('createRequest')).toBe(0);
  });

  it('reports a denial without asking again, and records the resource as blocked', async () => {
    const { service, missing } = setup();
    const it = item('web');
    const { urn, policy, fingerprint } = it.binding;
    const url = 'http://clearance.test/requests/req_7';
    service.checkResults.set(it.key, {
      ...{ urn, policy, fingerprint, id: 'req_7', url },
      status: 'denied',
      deniedBy: 'carol',
      reason: 'not on a Friday',
    });
    const outcome = await missing.resolve(it);
    expect(outcome).toEqual({
      kind: 'denied',
      id: 'req_7',
      url,
      deniedBy: 'carol',
      reason: 'not on a Friday',
    });
    expect(service.count('createRequest')).toBe(0);
    const report = service.calls.find((c) => c.method === 'reportRun')?.body;
    expect(report).toEqual({
      stack: 'acme/shop/prod',
      run: { id: 'run_test', dryRun: true },
      used: [],
      blocked: [{ urn, policy, fingerprint, requestId: 'req_7' }],
    });
  });

  it('opens a new request after an expiry or a revocation', async () => {
    const { service, missing } = setup();
    const expired = item('old');
    const revoked = item('gone');
    const base = ({ binding: { urn, policy, fingerprint } }: GateItem) => ({
      ...{ urn, policy, fingerprint, id: 'req_0', url: 'u' },
    });
    service.checkResults.set(expired.key, {
      ...base(expired),
      status: 'expired',
      expiredAt: '2026-01-05T10:00:00Z',
    });
    service.checkResults.set(revoked.key, {
      ...base(revoked),
      status: 'revoked',
      revokedBy: 'dave',
      revokedAt: '2026-01-05T11:00:00Z',
    });
    const [e, r] = await Promise.all([missing.resolve(expired), missing.resolve(revoked)]);
    expect(e).toMatchObject({
      kind: 'expired',
      expiredAt: '2026-01-05T10:00:00Z',
      next: { id: 'req_1' },
    });
    expect(r).toMatchObject({ kind: 'revoked', revokedBy: 'dave', next: { id: 'req_2' } });
  });

  it('passes on an approval granted since the run fetched its approvals', async () => {
    const { service, missing } = setup();
    const it = item('web');
    const { urn, policy, fingerprint } = it.binding;
    service.checkResults.set(it.key, {
      ...{ urn, policy, fingerprint },
      status: 'approved',
      id: 'req_3',
      token: 'tok',
      expiresAt: '2026-01-05T10:00:00Z',
    });
    expect(await missing.resolve(it)).toEqual({
      kind: 'approved',
      requestId: 'req_3',
      token: 'tok',
    });
  });

  it('fails every miss of a batch when the service is unreachable, and later misses at once', async () => {
    const { service, missing } = setup();
    service.failure.checks = unreachable();
    const [a, b] = await Promise.all([missing.resolve(item('a')), missing.resolve(item('b'))]);
    expect(a).toMatchObject({ kind: 'failed', error: { code: 'ERR_UNREACHABLE' } });
    expect(b.kind).toBe('failed');
    await missing.resolve(item('c'));
    expect(service.count('checks')).toBe(1);
  });

  it('keeps asking after a refusal, which says nothing about availability', async () => {
    const { service, missing } = setup();
    service.failure.createRequest = new ClearanceError('ERR_FORBIDDEN', 'not allowed to request', {
      status: 403,
    });
    expect(await missing.resolve(item('a'))).toMatchObject({
      kind: 'failed',
      error: { code: 'ERR_FORBIDDEN' },
    });
    await missing.resolve(item('b'));
    expect(service.count('checks')).toBe(2);
  });
});
