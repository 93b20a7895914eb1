import { calculateJwkThumbprint } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '@clearance/client';
import { findActiveApproval, type LookupTarget } from './approval-lookup.js';
import type { TemporarySettings } from './settings.js';
import { approvalSigner, approvalsFetch, type SignedApproval } from './test/approval-fixture.js';

const stack = 'acme/net/prod';
const urn =
  'urn:pulumi:prod::net::aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule::debug-ssh';
const target: LookupTarget = { stack, urn };
const start = new Date('2026-01-05T10:00:00Z');
const service: TemporarySettings = {
  url: 'http://127.0.0.1:9',
  token: 'ci-token',
  approvalTokens: [],
  requested: [],
  timeoutMs: 1000,
};

let signer: Awaited<ReturnType<typeof approvalSigner>>;
let approval: SignedApproval;
beforeAll(async () => {
  signer = await approvalSigner();
  approval = await signer.sign({
    stack,
    urn,
    policy: 'aws-security-group-open-ingress',
    at: start,
    seconds: 3600,
  });
});

describe('findActiveApproval with a service', () => {
  it('finds the approval of this URN, asking once with the API token', async () => {
    const fetch = approvalsFetch(() => [approval], signer.jwks);
    const state = await findActiveApproval(target, service, {
      clock: new ManualClock(start),
      fetch,
    });
    expect(state).toEqual({
      active: true,
      requestId: approval.id,
      policy: 'aws-security-group-open-ingress',
      expiresAt: '2026-01-05T11:00:00.000Z',
      source: 'service',
    });
    expect(fetch.calls).toEqual([
      {
        url: 'http://127.0.0.1:9/v1/approvals?stack=acme%2Fnet%2Fprod',
        authorization: 'Bearer ci-token',
      },
    ]);
  });

  it('ignores approvals of other resources', async () => {
    const other = await signer.sign({
      stack,
      urn: `${urn}-2`,
      policy: 'p',
      at: start,
      seconds: 3600,
    });
    const fetch = approvalsFetch(() => [other], signer.jwks);
    const state = await findActiveApproval(target, service, {
      clock: new ManualClock(start),
      fetch,
    });
    expect(state).toEqual({ active: false, reason: `no approval is active for ${urn}` });
  });

  it('is not active once the token has expired, even if the service still lists it', async () => {
    const fetch = approvalsFetch(() => [approval], signer.jwks);
    const clock = new ManualClock(new Date('2026-01-05T11:00:00Z'));
    const state = await findActiveApproval(target, service, { clock, fetch });
    expect(state).toMatchObject({ active: false, reason: expect.stringContaining('expired') });
  });

  it('refuses a token signed with a key the service does not publish', async () => {
    const stranger = await approvalSigner('test-key');
    const forged = await stranger.sign({ stack, urn, policy: 'p', at: start, seconds: 3600 });
    const fetch = approvalsFetch(() => [forged], signer.jwks);
    const state = await findActiveApproval(target, service, {
      clock: new ManualClock(start),
      fetch,
    });
    expect(state).toMatchObject({ active: false, reason: expect.stringContaining('invalid') });
  });

  it('refuses a token bound to another stack', async () => {
    const elsewhere = await signer.sign({
      stack: 'acme/net/dev',
      urn,
      policy: 'p',
      at: start,
      seconds: 3600,
    });
    const fetch = approvalsFetch(() => [elsewhere], signer.jwks);
    const state = await findActiveApproval(target, service, {
      clock: new ManualClock(start),
      fetch,
    });
    expect(state).toMatchObject({
      active: false,
      reason: expect.stringContaining('another stack'),
    });
  });

  it('counts only the listed policies when told which', async () => {
    const fetch = approvalsFetch(() => [approval], signer.jwks);
    const state = await findActiveApproval(
      { ...target, policies: ['aws-iam-admin-grant'] },
      service,
      {
        clock: new ManualClock(start),
        fetch,
      },
    );
    expect(state.active).toBe(false);
  });

  it('is not active outside the window the approval carries', async () => {
    const window = { days: ['mon' as const], from: '09:00', to: '10:30', timeZone: 'UTC' };
    const windowed = await signer.sign({
      stack,
      urn,
      policy: 'p',
      at: start,
      seconds: 3600,
      window,
    });
    const fetch = approvalsFetch(() => [windowed], signer.jwks);
    const inside = await findActiveApproval(target, service, {
      clock: new ManualClock(start),
      fetch,
    });
    expect(inside.active).toBe(true);
    const late = new ManualClock(new Date('2026-01-05T10:45:00Z'));
    const outside = await findActiveApproval(target, service, { clock: late, fetch });
    expect(outside).toMatchObject({ active: false, reason: expect.stringContaining('window') });
  });

  it('fails closed when the service cannot be reached, as undetermined rather than absent', async () => {
    const fetch = (async () => {
      throw new TypeError('fetch failed');
    }) as typeof globalThis.fetch;
    const state = await findActiveApproval(target, service, {
      clock: new ManualClock(start),
      fetch,
    });
    expect(state).toMatchObject({
      active: false,
      undetermined: true,
      reason: expect.stringContaining('could not be asked'),
    });
  });

  it('is undetermined when the service fails or refuses, and definite when it lists nothing', async () => {
    const clock = new ManualClock(start);
    const failing = (async () =>
      Response.json(
        { error: { code: 'ERR_INTERNAL', message: 'boom' } },
        { status: 503 },
      )) as typeof globalThis.fetch;
    expect(await findActiveApproval(target, service, { clock, fetch: failing })).toMatchObject({
      undetermined: true,
    });
    const none = approvalsFetch(() => [], signer.jwks);
    expect(await findActiveApproval(target, service, { clock, fetch: none })).toEqual({
      active: false,
      reason: `no approval is active for ${urn}`,
    });
  });

  it('fails closed on an answer that is not an approvals list', async () => {
    const fetch = (async () =>
      Response.json({ approvals: 'all of them' })) as typeof globalThis.fetch;
    const state = await findActiveApproval(target, service, {
      clock: new ManualClock(start),
      fetch,
    });
    expect(state).toMatchObject({
      active: false,
      undetermined: true,
      reason: expect.stringContaining('could not be asked'),
    });
  });
});

describe('findActiveApproval with a service and pinned keys', () => {
  it('refuses the approvals of a service whose key is not pinned, though it serves that key', async () => {
    const impostor = await approvalSigner('impostor-key');
    const forged = await impostor.sign({ stack, urn, policy: 'p', at: start, seconds: 3600 });
    const fetch = approvalsFetch(() => [forged], impostor.jwks);
    const clock = new ManualClock(start);
    expect(await findActiveApproval(target, service, { clock, fetch })).toMatchObject({
      active: true,
    });
    const pinned = { ...service, jwks: signer.jwks };
    expect(await findActiveApproval(target, pinned, { clock, fetch })).toEqual({
      active: false,
      reason: `the approval for ${urn} does not hold: the approval token is signed by a key that is not pinned (kid impostor-key), although the service offered it`,
    });
  });

  it('accepts a served key whose thumbprint is pinned, and no other', async () => {
    const impostor = await approvalSigner('impostor-key');
    const forged = await impostor.sign({ stack, urn, policy: 'p', at: start, seconds: 3600 });
    const both = { keys: [...signer.jwks.keys, ...impostor.jwks.keys] };
    const thumbprint = await calculateJwkThumbprint(signer.jwks.keys[0]!);
    const pinned = { ...service, keyThumbprints: [thumbprint] };
    const clock = new ManualClock(start);
    const good = approvalsFetch(() => [approval], both);
    expect(await findActiveApproval(target, pinned, { clock, fetch: good })).toMatchObject({
      active: true,
      requestId: approval.id,
    });
    const bad = approvalsFetch(() => [forged], both);
    expect(await findActiveApproval(target, pinned, { clock, fetch: bad })).toMatchObject({
      active: false,
      reason: expect.stringContaining('not pinned'),
    });
  });

  it('refuses plain http to a host other than loopback unless explicitly allowed', async () => {
    const fetch = approvalsFetch(() => [approval], signer.jwks);
    const clock = new ManualClock(start);
    const remote = { ...service, url: 'http://clearance.example.com' };
    expect(await findActiveApproval(target, remote, { clock, fetch })).toEqual({
      active: false,
      undetermined: true,
      reason: expect.stringContaining(
        'could not be asked: plain http:// to clearance.example.com is refused',
      ),
    });
    expect(fetch.calls).toEqual([]);
    const allowed = { ...remote, allowInsecureHttp: true };
    expect(await findActiveApproval(target, allowed, { clock, fetch })).toMatchObject({
      active: true,
    });
  });
});

describe('findActiveApproval with tokens handed in', () => {
  const offline = (tokens: string[], withKeys = true): TemporarySettings => ({
    approvalTokens: tokens,
    jwks: withKeys ? signer.jwks : undefined,
    requested: [],
    timeoutMs: 1000,
  });

  it('verifies a token against the pinned keys', async () => {
    const state = await findActiveApproval(target, offline([approval.token]), {
      clock: new ManualClock(start),
    });
    expect(state).toMatchObject({ active: true, source: 'token', requestId: approval.id });
  });

  it('needs pinned keys to trust a token', async () => {
    const state = await findActiveApproval(target, offline([approval.token], false), {
      clock: new ManualClock(start),
    });
    expect(state).toMatchObject({
      active: false,
      reason: expect.stringContaining('CLEARANCE_JWKS'),
    });
  });

  it('skips tokens of other resources and tokens that are not approvals', async () => {
    const other = await signer.sign({
      stack,
      urn: `${urn}-2`,
      policy: 'p',
      at: start,
      seconds: 3600,
    });
    const state = await findActiveApproval(target, offline([other.token, 'aaa.bbb.ccc']), {
      clock: new ManualClock(start),
    });
    expect(state.active).toBe(false);
  });

  it('refuses a token whose signature does not verify', async () => {
    const [head, body] = approval.token.split('.');
    const tampered = `${head}.${body}.${'A'.repeat(86)}`;
    const state = await findActiveApproval(target, offline([tampered]), {
      clock: new ManualClock(start),
    });
    expect(state).toMatchObject({ active: false, reason: expect.stringContaining('invalid') });
  });
});

it('is not active when nothing is configured', async () => {
  const state = await findActiveApproval(
    target,
    { approvalTokens: [], requested: [], timeoutMs: 1000 },
    {
      clock: new ManualClock(start),
    },
  );
  expect(state).toMatchObject({ active: false, reason: expect.stringContaining('CLEARANCE_URL') });
});
