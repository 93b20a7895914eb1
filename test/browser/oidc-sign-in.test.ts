import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClearanceClient } from '@clearance/client';
import {
  startTestIdp,
  startTestServer,
  type TestIdp,
  type TestServer,
} from '@clearance/approval-service/testing';
import { launchChromium } from './console-fixture.js';
import { openSshRequest } from './demo-requests.js';

const secretEnv = 'CLEARANCE_BROWSER_OIDC_SECRET';
const secret = 'browser-oidc-test-secret-0123456789';
/** sha256 of "demo-carol", as in the demo config. */
const carolToken = '46dc44375b9083e174d94502488cc3799b7e01d22f196b1c1c4e35a970be0924';

let idp: TestIdp;
let clearance: TestServer;
let browser: Browser;
let base: string;
let requestId: string;

beforeAll(async () => {
  idp = await startTestIdp([
    { login: 'dana', name: 'Dana (platform lead)', groups: ['platform-leads'] },
    { login: 'eve', name: 'Eve (sales)', groups: ['sales'] },
  ]);
  process.env[secretEnv] = secret;
  clearance = await startTestServer({
    config: {
      users: [{ id: 'carol', name: 'Carol', groups: ['deployers'], apiTokenSha256: carolToken }],
      defaultRule: { approvals: 1, approverGroups: ['managers'], maxDurationSeconds: 3600 },
      oidc: {
        issuer: idp.issuer,
        clientId: 'clearance',
        clientSecretEnv: secretEnv,
        groupMap: { 'platform-leads': ['managers'] },
        buttonLabel: 'Sign in with Acme SSO',
      },
    },
  });
  base = clearance.server.consoleUrl;
  idp.register({
    clientId: 'clearance',
    clientSecret: secret,
    redirectUris: [`${base}/login/oidc/callback`],
    postLogoutRedirectUris: [`${base}/login?bye=1`],
  });
  const carol = new ClearanceClient({ url: clearance.url, token: 'demo-carol' });
  const request = await carol.createRequest(
    openSshRequest('sso-sg', { reason: 'Hotfix on the payment box', durationSeconds: 1800 }),
  );
  requestId = request.id;
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await clearance?.close();
  await idp?.close();
  delete process.env[secretEnv];
});

/** From the console's sign-in button through the IdP's login and consent pages, and back. */
async function signIn(login: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await page.goto(`${base}/requests/${requestId}`);
  await page.getByRole('link', { name: 'Sign in with Acme SSO' }).click();
  await page.waitForURL(`${idp.issuer}/**`);
  await page.locator('input[name="login"]').fill(login);
  await page.locator('input[name="password"]').fill('any password');
  await page.locator('button[type="submit"]').click();
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.waitForURL(`${base}/requests/${requestId}`);
  return page;
}

describe('approvers sign in with OpenID Connect, in Chromium', () => {
  it('signs in through the IdP with its groups mapped, and offers the decision form', async () => {
    const page = await signIn('dana');
    expect(await page.locator('header').textContent()).toContain('Dana (platform lead)');
    await expect(page.getByRole('button', { name: 'Approve' }).count()).resolves.toBe(1);
    const cookies = await page.context().cookies(base);
    expect(cookies.find((c) => c.name === 'clearance-session')).toMatchObject({
      httpOnly: true,
      sameSite: 'Strict',
    });
    expect(cookies.find((c) => c.name === 'clearance-sign-in')).toBeUndefined();
    await page.context().close();
  });

  it('shows a user outside every approver group no decision form', async () => {
    const page = await signIn('eve');
    expect(await page.locator('header').textContent()).toContain('Eve (sales)');
    expect(await page.getByRole('button', { name: 'Approve' }).count()).toBe(0);
    expect(await page.locator('main').textContent()).toContain('managers');
    await page.context().close();
  });

  it('logs out of Clearance, then at the IdP (RP-initiated logout), and back', async () => {
    const page = await signIn('dana');
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.waitForURL(`${idp.issuer}/**`);
    // The IdP asks whether to end its session too.
    await page.locator('button[autofocus]').click();
    await page.waitForURL(`${base}/login?bye=1`);
    await expect(page.getByRole('status').textContent()).resolves.toContain('You have signed out.');
    await page.goto(`${base}/approvals`);
    expect(new URL(page.url()).pathname).toBe('/login');
    await page.context().close();
  });
});
