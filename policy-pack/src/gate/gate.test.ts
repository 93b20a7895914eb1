import { describe, expect, it, vi } from 'vitest';
import {
  ClearanceClient,
  ClearanceError,
  defaultServiceUrl,
  ManualClock,
  type ClientOptions,
} from '@clearance/client';
import { calculateJwkThumbprint } from 'jose';
import { FakeService, finding, resource, run, tokenIssuer, unreachable } from '../testing/index.js';
import { createGate, type GateRequest } from './gate.js';
import { gateItem } from './gate-item.js';
import type { RunContext } from './run-context.js';

const policy = 'aws-security-group-open-ingress';

async function setup(
  options: { env?: Record<string, string>; ctx?: Partial<RunContext>; clock?: ManualClock } = {},
) {
  const issuer = await tokenIssuer(options.clock);
  const service = new FakeService();
  service.keys = issuer.jwks();
  const clients: ClientOptions[] = [];
  const ctx = { ...run, ...options.ctx };
  const gate = createGate({
    env: { CLEARANCE_URL: 'https://clearance.test', CLEARANCE_TOKEN: 'api-token', ...options.env },
    runContext: async () => ctx,
    clock: issuer.clock,
    makeService: (o) => {
      clients.push(o);
      return service;
    },
    batchWindowMs: 0,
  });
  const request = (name = 'web', cidr = '0.0.0.0/0', config = {}): GateRequest => ({
    policy,
    resource: resource(name),
    finding: finding(cidr),
    config,
  });
  /** Lists an approval of `name`'s state at the service; returns its token. */
  const approve = async (name = 'web', rid = 'req_ok', approvers?: string[]) => {
    const { binding } = gateItem(ctx, policy, resource(name), finding());
    const token = await issuer.issue(binding, { rid, approvers });
    service.approvalsList.push({ id: rid, ...binding, token, expiresAt: '' });
    return { token, binding };
  };
  return { issuer, service, gate, request, approve, clients, ctx };
}

describe('the gate, happy path', () => {
  it('passes approved states with one fetch shared by concurrent checks, then records the run', async () => {
    const { gate, service, request, approve, clients } = await setup();
    const names = Array.from({ length: 20 }, (_, i) => `sg${i}`);
    for (const name of names) await approve(name, `req_${name}`);
    const verdicts = await Promise.all(names.map((n) => gate.check(request(n))));
    expect(verdicts.every((v) => v.level === 'pass')).toBe(true);
    expect(service.calls.map((c) => c.method)).toEqual(['approvals']);
    expect(service.calls[0]?.body).toEqual({
      stack: 'acme/shop/prod',
      run: { id: 'run_test', dryRun: true },
    });
    expect(clients).toEqual([
      { url: 'https://clearance.test', timeoutMs: 5000, token: 'api-token' },
    ]);
    expect(await gate.finishRun()).toEqual([]);
    expect(service.calls.map((c) => c.method)).toEqual(['approvals', 'reportRun']);
    expect(service.calls[1]?.body).toEqual({
      stack: 'acme/shop/prod',
      run: { id: 'run_test', dryRun: true },
      used: names.map((n) => `req_${n}`).sort(),
      blocked: [],
    });
  });

  it('verifies the approvals the run holds while no check has asked yet, then only what a check asks for', async () => {
    let reads = 0;
    const clock = new (class extends ManualClock {
      override now(): Date {
        reads++;
        return super.now();
      }
    })();
    const names = ['sg0', 'sg1', 'sg2'];
    const ahead = await setup({ clock });
    for (const name of names) await ahead.approve(name, `req_${name}`);
    reads = 0;
    ahead.gate.prepare({ policy, config: {} });
    // Fetched ahead: the three verified before any check.
    await vi.waitFor(() => expect(reads).toBe(3));
    expect((await ahead.gate.check(ahead.request('sg2'))).level).toBe('pass');
    // The use only checks the verified claims.
    expect(reads).toBe(4);

    const asked = await setup({ clock });
    for (const name of names) await asked.approve(name, `req_${name}`);
    reads = 0;
    expect((await asked.gate.check(asked.request('sg0'))).level).toBe('pass');
    // sg0 verified and used; sg1 and sg2 are left until a check asks for them.
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(reads).toBe(2);
    expect((await asked.gate.check(asked.request('sg2'))).level).toBe('pass');
    expect(reads).toBe(4);
  });

  it('makes no call at all for a run that never needed an approval', async () => {
    const { gate, service } = await setup();
    expect(await gate.finishRun()).toEqual([]);
    expect(service.calls).toEqual([]);
  });
});

describe("the gate, prepared at the run's first resource", () => {
  const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

  it('fetches the approvals ahead, and the first check reads them without a second call', async () => {
    const { gate, service, request, approve } = await setup();
    await approve('web');
    gate.prepare({ policy, config: {} });
    await vi.waitFor(() => expect(service.count('approvals')).toBe(1));
    expect(await gate.check(request('web'))).toEqual({ level: 'pass' });
    expect(service.calls.map((c) => c.method)).toEqual(['approvals']);
  });

  it('fetches nothing ahead outside its stacks, with invalid settings, or with no service named', async () => {
    const cases = [
      { CLEARANCE_STACKS: '*/*/staging' },
      { CLEARANCE_FAIL_MODE: 'sometimes' },
      { CLEARANCE_URL: '' },
    ];
    for (const env of cases) {
      const { gate, service } = await setup({ env });
      gate.prepare({ policy, config: {} });
      await settle();
      expect(service.calls).toEqual([]);
    }
  });

  it('tries again at the first check when the fetch ahead failed before any check shared it', async () => {
    const { gate, service, request, approve } = await setup();
    await approve('web');
    service.failure.approvals = unreachable();
    gate.prepare({ policy, config: {} });
    await vi.waitFor(() => expect(service.count('approvals')).toBe(1));
    await settle();
    delete service.failure.approvals;
    expect(await gate.check(request('web'))).toEqual({ level: 'pass' });
    expect(service.count('approvals')).toBe(2);
  });

  it('keeps the failure for the run once a check has shared the fetch ahead', async () => {
    const { gate, service, request } = await setup();
    service.failure.approvals = unreachable();
    gate.prepare({ policy, config: {} });
    const first = await gate.check(request('a'));
    expect(first.level).toBe('mandatory');
    expect((await gate.check(request('b'))).level).toBe('mandatory');
    expect(service.count('approvals')).toBe(1);
  });

  it('leaves a client that cannot be made to the check, which reports it', async () => {
    const gate = createGate({
      env: { CLEARANCE_URL: 'https://clearance.test' },
      runContext: async () => run,
      makeService: () => {
        throw new TypeError('no client today');
      },
    });
    gate.prepare({ policy, config: {} });
    await settle();
    await expect(
      gate.check({ policy, resource: resource('web'), finding: finding(), config: {} }),
    ).rejects.toThrow(/no client today/);
  });

  it('leaves a run with no stack known to the check, which reports it', async () => {
    const gate = createGate({
      env: { CLEARANCE_URL: 'https://clearance.test' },
      runContext: async () => {
        throw new Error('no stack is known to the pack');
      },
      makeService: () => new FakeService(),
    });
    gate.prepare({ policy, config: {} });
    await settle();
    await expect(
      gate.check({ policy, resource: resource('web'), finding: finding(), config: {} }),
    ).rejects.toThrow(/no stack is known/);
  });
});

describe('the gate, missing approvals', () => {
  it('blocks with the policy, resource, reason and request link; asks once per state', async () => {
    const { gate, service, request } = await setup();
    const first = await gate.check(request());
    const second = await gate.check(request());
    expect(first.level).toBe('mandatory');
    const message = first.level === 'pass' ? '' : first.message;
    expect(message).toContain(policy);
    expect(message).toContain(resource().urn);
    expect(message).toContain('"web"');
    expect(message).toContain('ingress from 0.0.0.0/0 on port 22');
    expect(message).toContain(
      'An approval request was opened (0 of 2 managers): http://clearance.test/requests/req_1',
    );
    expect(message).toContain('Clearance run run_test: `clearance wait --run run_test`');
    expect(second).toEqual(first);
    expect(service.count('createRequest')).toBe(1);
  });

  it('asks again for a changed state: another fingerprint', async () => {
    const { gate, service, request, approve } = await setup();
    await approve('web');
    expect((await gate.check(request('web'))).level).toBe('pass');
    expect((await gate.check(request('web', '10.0.0.0/8'))).level).toBe('mandatory');
    expect(service.count('createRequest')).toBe(1);
  });

  it('reports a missing approval as advisory during preview when configured so, never at update', async () => {
    const env = { CLEARANCE_PREVIEW_MODE: 'advisory' };
    const preview = await setup({ env });
    expect((await preview.gate.check(preview.request())).level).toBe('advisory');
    const update = await setup({ env, ctx: { dryRun: false, runId: 'run_up' } });
    expect((await update.gate.check(update.request())).level).toBe('mandatory');
    expect(update.service.calls[0]).toEqual({
      method: 'approvals',
      body: { stack: 'acme/shop/prod', run: { id: 'run_up', dryRun: false } },
    });
  });

  it('passes an approval granted since the run fetched its approvals, and records its use', async () => {
    const { gate, service, request, issuer, ctx } = await setup();
    const { binding, key } = gateItem(ctx, policy, resource(), finding());
    const token = await issuer.issue(binding, { rid: 'req_late' });
    const { urn, fingerprint } = binding;
    service.checkResults.set(key, {
      urn,
      policy,
      fingerprint,
      status: 'approved',
      id: 'req_late',
      token,
      expiresAt: '',
    });
    expect(await gate.check(request())).toEqual({ level: 'pass' });
    await gate.finishRun();
    expect(service.calls.at(-1)?.body).toMatchObject({ used: ['req_late'] });
  });

  it('does not accept an approval with fewer approvers than the pack demands', async () => {
    const { gate, service, request, approve, ctx } = await setup({
      env: { CLEARANCE_MIN_APPROVERS: '2' },
    });
    const { token, binding } = await approve('web', 'req_one', ['alice']);
    const { urn, fingerprint } = binding;
    const { key } = gateItem(ctx, policy, resource(), finding());
    service.checkResults.set(key, {
      urn,
      policy,
      fingerprint,
      status: 'approved',
      id: 'req_one',
      token,
      expiresAt: '',
    });
    const verdict = await gate.check(request());
    expect(verdict).toMatchObject({ level: 'mandatory' });
    expect(verdict.level !== 'pass' && verdict.message).toMatch(
      /Approval req_one exists but is not accepted by this pack: .*requires 2/,
    );
  });
});

describe('the gate, settings and context', () => {
  it('lets everything pass on stacks outside its patterns, without calling the service', async () => {
    const { gate, service, request } = await setup({ env: { CLEARANCE_STACKS: '*/*/staging' } });
    expect(await gate.check(request())).toEqual({ level: 'pass' });
    expect(service.calls).toEqual([]);
  });

  it('applies on stacks that match one of its patterns', async () => {
    const { gate, service, request } = await setup({
      env: { CLEARANCE_STACKS: '*/*/staging,acme/*/prod' },
    });
    expect((await gate.check(request())).level).toBe('mandatory');
    expect(service.count('approvals')).toBe(1);
  });

  it('sends the API token from the variable the settings name', async () => {
    const env = { CI_CLEARANCE_TOKEN: 'ci-token', OTHER_TOKEN: 'other-token' };
    const fromEnv = await setup({ env: { ...env, CLEARANCE_TOKEN_ENV: 'CI_CLEARANCE_TOKEN' } });
    await fromEnv.gate.check(fromEnv.request());
    expect(fromEnv.clients).toEqual([expect.objectContaining({ token: 'ci-token' })]);
    const fromConfig = await setup({ env });
    await fromConfig.gate.check(
      fromConfig.request('web', '0.0.0.0/0', { tokenEnv: 'OTHER_TOKEN' }),
    );
    expect(fromConfig.clients).toEqual([expect.objectContaining({ token: 'other-token' })]);
  });

  it('demands the minimum of approvers only of the policy whose config sets it', async () => {
    const { gate, service, issuer, ctx } = await setup();
    const other = 'aws-s3-public-access';
    for (const name of [policy, other]) {
      const { binding } = gateItem(ctx, name, resource(), finding());
      const token = await issuer.issue(binding, { rid: `req_${name}` });
      service.approvalsList.push({ id: `req_${name}`, ...binding, token, expiresAt: '' });
    }
    const check = (name: string, config: Record<string, unknown>) =>
      gate.check({ policy: name, resource: resource(), finding: finding(), config });
    const strict = await check(policy, { minApprovers: 3 });
    expect(strict.level !== 'pass' && strict.message).toMatch(
      /has 2 approver\(s\); this pack requires 3/,
    );
    expect(await check(other, {})).toEqual({ level: 'pass' });
    expect(await check(policy, { minApprovers: 2 })).toEqual({ level: 'pass' });
  });

  it('takes per-policy config over the environment', async () => {
    const { gate, clients, request } = await setup();
    await gate.check(
      request('web', '0.0.0.0/0', { serviceUrl: 'https://other.test', timeoutMs: 100 }),
    );
    expect(clients[0]).toMatchObject({ url: 'https://other.test', timeoutMs: 100 });
  });

  it('blocks with a clear message when the settings are invalid', async () => {
    const { gate, service, request } = await setup({ env: { CLEARANCE_FAIL_MODE: 'maybe' } });
    const verdict = await gate.check(request());
    expect(verdict.level).toBe('mandatory');
    expect(verdict.level !== 'pass' && verdict.message).toMatch(
      /config of the approval gate is invalid[\s\S]*CLEARANCE_FAIL_MODE/,
    );
    expect(service.calls).toEqual([]);
  });

  it('asks the default service when none is configured, and blocks whatever the fail mode when it does not answer', async () => {
    const { gate, service, request, clients } = await setup({
      env: { CLEARANCE_URL: '', CLEARANCE_FAIL_MODE: 'open' },
    });
    service.failure.approvals = unreachable();
    const verdict = await gate.check(request());
    expect(clients).toEqual([expect.objectContaining({ url: defaultServiceUrl })]);
    expect(verdict.level).toBe('mandatory');
    expect(verdict.level !== 'pass' && verdict.message).toContain(
      `No approval service is configured (serviceUrl in the policy config, or CLEARANCE_URL), and none answers at the default ${defaultServiceUrl}.`,
    );
  });

  it('defers unknown material to the update during preview, and blocks it at update', async () => {
    const preview = await setup();
    const unknown = { ...preview.request(), finding: finding('x', true) };
    const atPreview = await preview.gate.check(unknown);
    expect(atPreview.level).toBe('advisory');
    expect(atPreview.level !== 'pass' && atPreview.message).toMatch(/checked at update/);
    expect(preview.service.calls).toEqual([]);
    const update = await setup({ ctx: { dryRun: false } });
    const atUpdate = await update.gate.check(unknown);
    expect(atUpdate.level).toBe('mandatory');
    expect(atUpdate.level !== 'pass' && atUpdate.message).toMatch(/still unknown at update/);
  });
});

describe('the gate, service failures', () => {
  it('fails closed by default, naming the service and the fail mode, fetching once', async () => {
    const { gate, service, request } = await setup();
    service.failure.approvals = unreachable();
    const [a, b] = await Promise.all([gate.check(request('a')), gate.check(request('b'))]);
    expect(a.level).toBe('mandatory');
    expect(a.level !== 'pass' && a.message).toMatch(
      /approval service at https:\/\/clearance.test was unreachable[\s\S]*Fail mode "closed" applied/,
    );
    expect(b.level).toBe('mandatory');
    expect(a.level !== 'pass' && a.message).not.toContain('Clearance run');
    expect(service.count('approvals')).toBe(1);
  });

  it('only warns under fail open', async () => {
    const { gate, service, request } = await setup({ env: { CLEARANCE_FAIL_MODE: 'open' } });
    service.failure.approvals = new ClearanceError('ERR_TIMEOUT', 'did not answer within 5000 ms');
    const verdict = await gate.check(request());
    expect(verdict.level).toBe('advisory');
    expect(verdict.level !== 'pass' && verdict.message).toMatch(/Fail mode "open" applied/);
  });

  it('blocks a refusal even under fail open: a bad token does not open the gate', async () => {
    const { gate, service, request } = await setup({ env: { CLEARANCE_FAIL_MODE: 'open' } });
    service.failure.approvals = new ClearanceError('ERR_UNAUTHENTICATED', 'bad API token', {
      status: 401,
    });
    const verdict = await gate.check(request());
    expect(verdict.level).toBe('mandatory');
    expect(verdict.level !== 'pass' && verdict.message).toMatch(/refused the check: bad API token/);
  });

  it('blocks a malformed answer even under fail open, quoting none of it', async () => {
    const body = { approvals: [{ id: 'req_1', token: 'eyJ.secret.sig' }], keys: { keys: [] } };
    const gate = createGate({
      env: { CLEARANCE_URL: 'https://clearance.test', CLEARANCE_FAIL_MODE: 'open' },
      runContext: async () => run,
      makeService: (o) =>
        new ClearanceClient({ ...o, fetch: (async () => Response.json(body)) as typeof fetch }),
      batchWindowMs: 0,
    });
    const verdict = await gate.check({
      policy,
      resource: resource(),
      finding: finding(),
      config: {},
    });
    expect(verdict.level).toBe('mandatory');
    const message = verdict.level === 'pass' ? '' : verdict.message;
    expect(message).toContain(
      'refused the check: the approval service at https://clearance.test answered GET /v1/approvals with a malformed body (approvals.0.urn: expected string)',
    );
    expect(message).not.toContain('secret');
  });

  it('applies the fail mode when the service goes away after the fetch', async () => {
    const { gate, service, request } = await setup({ env: { CLEARANCE_FAIL_MODE: 'open' } });
    service.failure.checks = unreachable();
    expect((await gate.check(request())).level).toBe('advisory');
  });

  it('reports a failed run record according to the fail mode', async () => {
    for (const [failMode, level] of [
      ['closed', 'mandatory'],
      ['open', 'advisory'],
    ] as const) {
      const { gate, service, request, approve } = await setup({
        env: { CLEARANCE_FAIL_MODE: failMode },
      });
      await approve();
      await gate.check(request());
      service.failure.reportRun = unreachable();
      const reports = await gate.finishRun();
      expect(reports).toHaveLength(1);
      expect(reports[0]?.level).toBe(level);
      expect(reports[0]?.message).toMatch(/could not record which approvals this run used/);
    }
  });
});

describe('the gate, offline', () => {
  it('verifies handed tokens with the pinned keys and calls nothing', async () => {
    const issuer = await tokenIssuer();
    const { binding } = gateItem(run, policy, resource(), finding());
    const token = await issuer.issue(binding);
    const { gate, service, request } = await setup({
      env: {
        CLEARANCE_OFFLINE: 'true',
        CLEARANCE_JWKS: JSON.stringify(issuer.jwks()),
        CLEARANCE_APPROVAL_TOKENS: token,
      },
    });
    expect(await gate.check(request())).toEqual({ level: 'pass' });
    expect(await gate.finishRun()).toEqual([]);
    expect(service.calls).toEqual([]);
  });

  it('blocks without a valid handed token, opening a request when a service is configured', async () => {
    const issuer = await tokenIssuer();
    const env = { CLEARANCE_OFFLINE: 'true', CLEARANCE_JWKS: JSON.stringify(issuer.jwks()) };
    const withService = await setup({ env });
    const verdict = await withService.gate.check(withService.request());
    expect(verdict.level !== 'pass' && verdict.message).toMatch(/requests\/req_1/);
    const alone = await setup({ env: { ...env, CLEARANCE_URL: '' } });
    const lone = await alone.gate.check(alone.request());
    expect(lone.level !== 'pass' && lone.message).toMatch(
      /no valid approval token in CLEARANCE_APPROVAL_TOKENS/,
    );
    expect(alone.service.calls).toEqual([]);
  });
});

describe('the gate, pinned keys online', () => {
  /** A service answering with approvals signed by its own key, and that key in its key set. */
  async function impostorApproves(service: FakeService, ctx: RunContext, name = 'web') {
    const impostor = await tokenIssuer();
    const { binding } = gateItem(ctx, policy, resource(name), finding());
    const token = await impostor.issue(binding, { rid: 'req_forged' });
    service.keys = { keys: [...service.keys.keys, ...impostor.jwks().keys] };
    service.approvalsList.push({ id: 'req_forged', ...binding, token, expiresAt: '' });
    return { impostor, token };
  }

  it('without pins, trusts whatever key the response carries (what pinning is for)', async () => {
    const { gate, service, request, ctx } = await setup();
    service.keys = { keys: [] };
    await impostorApproves(service, ctx);
    expect(await gate.check(request())).toEqual({ level: 'pass' });
  });

  it('with CLEARANCE_JWKS, refuses a token whose key only the response carries', async () => {
    const pinned = await tokenIssuer();
    const { gate, service, request, ctx } = await setup({
      env: { CLEARANCE_JWKS: JSON.stringify(pinned.jwks()) },
    });
    await impostorApproves(service, ctx);
    const verdict = await gate.check(request());
    expect(verdict.level).toBe('mandatory');
    expect(verdict.level !== 'pass' && verdict.message).toMatch(
      /the service approval: the approval token is signed by a key that is not pinned \(kid [\w-]+\), although the service offered it/,
    );
    expect(service.count('createRequest')).toBe(1);
  });

  it('with a pinned jwks in the policy config, passes tokens of that key fetched online', async () => {
    const { gate, service, request, approve, issuer } = await setup();
    await approve();
    service.keys = { keys: [] };
    const config = { jwks: issuer.jwks() };
    expect(await gate.check(request('web', '0.0.0.0/0', config))).toEqual({ level: 'pass' });
    expect(service.calls.map((c) => c.method)).toEqual(['approvals']);
  });

  it('with keyThumbprints in the policy config, accepts only served keys of those thumbprints', async () => {
    const { gate, service, request, approve, issuer, ctx } = await setup();
    const [served] = issuer.jwks().keys;
    const config = { keyThumbprints: [await calculateJwkThumbprint(served!)] };
    await approve('api', 'req_api');
    await impostorApproves(service, ctx, 'web');
    expect(await gate.check(request('api', '0.0.0.0/0', config))).toEqual({ level: 'pass' });
    const forged = await gate.check(request('web', '0.0.0.0/0', config));
    expect(forged.level).toBe('mandatory');
    expect(forged.level !== 'pass' && forged.message).toMatch(/not pinned/);
  });

  it('holds handed tokens online to the pins too', async () => {
    const pinned = await tokenIssuer();
    const impostor = await tokenIssuer();
    const { binding } = gateItem(run, policy, resource(), finding());
    const token = await impostor.issue(binding, { rid: 'req_forged' });
    const { gate, service, request } = await setup({
      env: { CLEARANCE_JWKS: JSON.stringify(pinned.jwks()), CLEARANCE_APPROVAL_TOKENS: token },
    });
    service.keys = impostor.jwks();
    service.approvalsList.push({ id: 'req_forged', ...binding, token, expiresAt: '' });
    const verdict = await gate.check(request());
    expect(verdict.level !== 'pass' && verdict.message).toMatch(
      /a token from CLEARANCE_APPROVAL_TOKENS: the approval token is signed by a key that is not pinned/,
    );
  });
});

describe('the gate, plain http', () => {
  it('refuses plain http to a host other than loopback, calling nothing', async () => {
    const { gate, service, request } = await setup({
      env: { CLEARANCE_URL: 'http://clearance.example.com' },
    });
    const verdict = await gate.check(request());
    expect(verdict.level).toBe('mandatory');
    expect(verdict.level !== 'pass' && verdict.message).toMatch(
      /config of the approval gate is invalid[\s\S]*CLEARANCE_URL: plain http:\/\/ to clearance\.example\.com is refused/,
    );
    expect(service.calls).toEqual([]);
  });

  it('takes plain http to loopback, and elsewhere when explicitly allowed', async () => {
    const local = await setup({ env: { CLEARANCE_URL: 'http://127.0.0.1:8080' } });
    expect((await local.gate.check(local.request())).level).toBe('mandatory');
    expect(local.clients).toEqual([expect.objectContaining({ url: 'http://127.0.0.1:8080' })]);
    const allowed = await setup({
      env: { CLEARANCE_URL: 'http://clearance.example.com', CLEARANCE_ALLOW_HTTP: 'true' },
    });
    await allowed.approve();
    expect(await allowed.gate.check(allowed.request())).toEqual({ level: 'pass' });
    expect(allowed.clients).toEqual([
      expect.objectContaining({ url: 'http://clearance.example.com', allowInsecureHttp: true }),
    ]);
  });
});
