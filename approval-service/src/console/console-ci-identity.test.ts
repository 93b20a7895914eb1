import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ciIdTokenSource, ClearanceClient, type RequestView } from '@clearance/client';
import { appFetch, testApp, type TestApp } from '../testing/test-app.js';
import { startTestCiIssuer, type TestCiIssuer } from '../testing/test-ci-issuer.js';
import { serveOnLoopback, type LoopbackServer } from '../testing/test-server.js';
import { requestBody, requestFor } from '../http/app-harness.case.js';
import { consoleConfig, origin, TestBrowser } from './console-harness.case.js';

/**
 * The whole flow of a CI run without a long-lived secret: the client gets its ID token from a
 * stand-in of the GitHub Actions runner's token endpoint, which hands out tokens the local
 * issuer signed; the service verifies it against the issuer's JWKS, and the console shows the
 * pipeline. Break-glass then runs from the console's forms to the Needs review page.
 */
let issuer: TestCiIssuer;
let runner: LoopbackServer;
let t: TestApp;

beforeAll(async () => {
  let now = (): Date => new Date();
  issuer = await startTestCiIssuer(() => now());
  runner = await serveOnLoopback(async (request) => {
    const audience = new URL(request.url).searchParams.get('audience') ?? '';
    const ok = request.headers.get('authorization') === 'bearer runner-secret';
    return ok
      ? Response.json({ value: await issuer.github({ audience }) })
      : new Response('forbidden', { status: 403 });
  });
  t = await testApp({
    config: await consoleConfig({
      ciIdentity: {
        issuers: [
          {
            name: 'github',
            kind: 'github',
            issuer: issuer.url,
            audience: 'clearance',
            jwksUri: issuer.jwksUri,
            conditions: { repository: 'acme/infra' },
            groups: ['deployers'],
            logins: { 'alice-gh': 'alice' },
          },
        ],
      },
      defaultRule: {
        approvals: 2,
        approverGroups: ['managers'],
        maxDurationSeconds: 3600,
        breakGlass: { groups: ['deployers'], reviewerGroups: ['managers'] },
      },
    }),
  });
  now = () => t.clock.now();
});

afterAll(async () => {
  await runner.close();
  await issuer.close();
});

async function signedIn(user: string): Promise<TestBrowser> {
  const browser = new TestBrowser(t.app);
  expect((await browser.login(user)).status).toBe(303);
  return browser;
}

describe('a CI run known by its OIDC identity, in the console', () => {
  it('opens a request with the token the runner hands out; the console shows the pipeline; its trigger may not decide', async () => {
    const env = {
      ACTIONS_ID_TOKEN_REQUEST_URL: `${runner.url}/token?api-version=2.0`,
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'runner-secret',
    };
    const client = new ClearanceClient({
      url: origin,
      tokenSource: ciIdTokenSource(env),
      allowInsecureHttp: true,
      fetch: appFetch(t.app),
    });
    const view = await client.createRequest(requestFor({ reason: 'PR #12: open the bastion' }));
    expect(view.requester).toBe('github:acme/infra');

    const page = await (await (await signedIn('bob')).get(`/requests/${view.id}`)).text();
    for (const shown of [
      'acme/infra',
      'deploy',
      'https://github.com/acme/infra/actions/runs/4242',
      'refs/heads/main',
      'c0ffee0000000000000000000000000000000000',
      'alice-gh',
      'PR #12: open the bastion',
    ]) {
      expect(page).toContain(shown);
    }
    const byAlice = await (await signedIn('alice')).get(`/requests/${view.id}`);
    expect(await byAlice.text()).toContain('you triggered the pipeline that opened this request');
  });

  it('break-glass from the console: the requester approves at once, reviewers acknowledge it on Needs review', async () => {
    const carol = await signedIn('carol');
    const opened: RequestView = await t.services.requests
      .createRequest(
        { id: 'carol', displayName: 'Carol', groups: ['deployers'] },
        requestFor({ urn: `${requestBody.urn}-glass` }),
      )
      .then((r) => r.request);
    const path = `/requests/${opened.id}`;
    expect(await (await carol.get(path)).text()).toContain('Break glass');
    const done = await carol.submit(path, `${path}/break-glass`, { reason: 'checkout is down' });
    expect([done.status, done.headers.get('location')]).toEqual([303, path]);
    expect((await t.services.requests.getRequest(opened.id)).status).toBe('approved');

    const bob = await signedIn('bob');
    const list = await (await bob.get('/needs-review')).text();
    expect(list).toContain('checkout is down');
    expect(list).toContain('Acknowledge');
    const ack = await bob.submit('/needs-review', `${path}/break-glass/review`, {
      outcome: 'acknowledge',
      reason: 'seen',
    });
    expect(ack.status).toBe(303);
    expect(await (await bob.get('/needs-review')).text()).toContain(
      'No break-glass approval waits for review.',
    );
  });
});
