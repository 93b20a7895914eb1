import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RequestView } from '@clearance/client';
import type { ServiceConfig } from '../config/config-schema.js';
import { startTestCiIssuer, type TestCiIssuer } from '../testing/test-ci-issuer.js';
import { appHarness, errorOf, requestBody, requestFor, type Harness } from './app-harness.case.js';

let issuer: TestCiIssuer;
let gitlab: TestCiIssuer;
let h: Harness;

beforeAll(async () => {
  // The issuers date their tokens by the service's manual clock once the service exists.
  let now = (): Date => new Date();
  issuer = await startTestCiIssuer(() => now());
  gitlab = await startTestCiIssuer(() => now());
  const trusted: NonNullable<ServiceConfig['ciIdentity']> = {
    issuers: [
      {
        name: 'github',
        kind: 'github',
        issuer: issuer.url,
        audience: 'clearance',
        jwksUri: issuer.jwksUri,
        conditions: { repository: 'acme/infra', ref: 'refs/heads/main' },
        groups: ['deployers'],
        logins: { 'alice-gh': 'alice' },
      },
      {
        name: 'gitlab',
        kind: 'gitlab',
        issuer: `${gitlab.url}/`,
        audience: 'clearance',
        conditions: { project_path: 'acme/infra', ref: ['main', 'release/*'] },
        groups: ['deployers'],
        logins: {},
      },
    ],
  };
  h = await appHarness({ ciIdentity: trusted });
  now = () => h.clock.now();
});

afterAll(async () => {
  await issuer.close();
  await gitlab.close();
});

const open = (token: string, body: object = requestBody) =>
  h.call('POST', '/v1/requests', { body, headers: { authorization: `Bearer ${token}` } });

describe('CI pipelines authenticate with their own OIDC ID token', () => {
  it('a GitHub Actions token opens a request that records the pipeline; the person who triggered it may not approve it', async () => {
    const res = await open(await issuer.github());
    expect(res.status).toBe(201);
    const view = (await res.json()) as RequestView;
    expect(view.requester).toBe('github:acme/infra');
    expect(view.pipeline).toEqual({
      issuer: 'github',
      repository: 'acme/infra',
      workflow: 'deploy',
      runUrl: 'https://github.com/acme/infra/actions/runs/4242',
      ref: 'refs/heads/main',
      commit: 'c0ffee0000000000000000000000000000000000',
      triggeredBy: 'alice-gh',
      user: 'alice',
    });
    const audit = await h.store.readAudit();
    expect(
      audit.find((e) => e.action === 'request.created' && e.subject === view.id)?.data,
    ).toMatchObject({
      pipeline: { repository: 'acme/infra', triggeredBy: 'alice-gh' },
    });
    const byAlice = await h.call('POST', `/v1/requests/${view.id}/reviews`, {
      as: 'alice',
      body: { decision: 'approve', reason: 'mine' },
    });
    expect(await errorOf(byAlice)).toMatchObject({ status: 403, code: 'ERR_SELF_REVIEW' });
    const byBob = await h.call('POST', `/v1/requests/${view.id}/reviews`, {
      as: 'bob',
      body: { decision: 'approve', reason: 'ok' },
    });
    expect(byBob.status).toBe(200);
  });

  it('a GitLab CI token maps the triggering user_login to the user of that name', async () => {
    const res = await open(await gitlab.gitlab(), requestFor({ urn: `${requestBody.urn}-gitlab` }));
    expect(res.status).toBe(201);
    const view = (await res.json()) as RequestView;
    expect(view.pipeline).toMatchObject({
      issuer: 'gitlab',
      repository: 'acme/infra',
      runUrl: `${gitlab.url}/acme/infra/-/pipelines/777`,
      triggeredBy: 'bob',
      user: 'bob',
    });
    const byBob = await h.call('POST', `/v1/requests/${view.id}/reviews`, {
      as: 'bob',
      body: { decision: 'approve', reason: 'mine' },
    });
    expect((await errorOf(byBob)).code).toBe('ERR_SELF_REVIEW');
  });

  it.each([
    ['another repository', { claims: { repository: 'acme/other' } }, 'ERR_OIDC_CLAIM_MISMATCH'],
    ['another branch', { claims: { ref: 'refs/heads/feature' } }, 'ERR_OIDC_CLAIM_MISMATCH'],
    ['an expired token', { expiresInSeconds: -120 }, 'ERR_OIDC_EXPIRED'],
    ['the wrong audience', { audience: 'someone-else' }, 'ERR_OIDC_AUDIENCE'],
    ['an unsigned token (alg none)', { unsigned: true }, 'ERR_OIDC_UNSIGNED'],
    ['an untrusted issuer', { claims: { iss: 'https://evil.example' } }, 'ERR_OIDC_INVALID'],
  ])('refuses %s with its own code, writing no request', async (_what, options, code) => {
    const before = (await h.store.listRequests()).length;
    const res = await open(await issuer.github(options));
    expect(await errorOf(res)).toMatchObject({ status: 401, code });
    expect((await h.store.listRequests()).length).toBe(before);
  });

  it('refuses a token signed by another key', async () => {
    const other = await startTestCiIssuer(() => h.clock.now());
    try {
      const forged = await other.github({ claims: { iss: issuer.url } });
      expect((await errorOf(await open(forged))).code).toBe('ERR_OIDC_INVALID');
    } finally {
      await other.close();
    }
  });

  it('fetches the JWKS once and keeps it', () => {
    expect([issuer.jwksHits(), gitlab.jwksHits()]).toEqual([1, 1]);
  });

  it("a valid token is never refused because of others' failures from the same address", async () => {
    for (let i = 0; i < 12; i += 1) {
      await open(await issuer.github({ claims: { repository: 'acme/other' } }));
    }
    expect((await errorOf(await open(await issuer.github({ audience: 'x' })))).code).toBe(
      'ERR_RATE_LIMITED',
    );
    const res = await h.call('GET', '/v1/requests', {
      headers: { authorization: `Bearer ${await issuer.github()}` },
    });
    expect(res.status).toBe(200);
  });
});
