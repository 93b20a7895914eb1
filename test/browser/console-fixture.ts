import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { CreateRequestBody, RequestView } from '@clearance/client';
import { ClearanceClient } from '@clearance/client';
import type { RunningServer } from '@clearance/approval-service';
import { startTestServer } from '@clearance/approval-service/testing';
import { openSshRequest } from './demo-requests.js';

/** The committed demo configuration: alice and bob (managers), carol (deployer); passwords = names. */
export const demoConfig = fileURLToPath(
  new URL('../../approval-service/config/demo.yaml', import.meta.url),
);

/** Debian's chromium, headless, without network side traffic. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

export interface DemoServer {
  server: RunningServer;
  /**
   * Opens a request as carol through the HTTP API (bearer token): by default for a new
   * security group with SSH open to the internet, as the policy pack would.
   */
  openRequest(overrides?: Partial<CreateRequestBody>): Promise<RequestView>;
  close(): Promise<void>;
}

let counter = 0;

/** The service on loopback port 0 with the demo config and a temporary data directory. */
export async function startDemoServer(): Promise<DemoServer> {
  const { server, close } = await startTestServer({
    configPath: demoConfig,
    prefix: 'clearance-console-',
  });
  const carol = new ClearanceClient({ url: server.url, token: 'demo-carol' });
  return {
    server,
    openRequest: (overrides = {}) => {
      counter += 1;
      return carol.createRequest({
        ...openSshRequest(`web-sg-${counter}`, {
          reason: 'Hotfix on the payment box',
          durationSeconds: 1800,
        }),
        ...overrides,
      });
    },
    close,
  };
}

/** Signs in through the login form (password = user name). */
export async function login(
  page: Page,
  base: string,
  user: string,
  password = user,
): Promise<void> {
  await page.goto(`${base}/login`);
  await page.getByLabel('User name').fill(user);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForLoadState();
}

/**
 * Submits, from the page, a form the page does not offer: what a user could forge with the
 * developer tools. (Browser-side code is passed as text: this build has no DOM types.)
 */
export async function submitForgedForm(
  page: Page,
  action: string,
  fields: Record<string, string>,
): Promise<void> {
  await page.evaluate(`(() => {
    const form = document.createElement('form');
    form.method = 'post';
    form.action = ${JSON.stringify(action)};
    for (const [name, value] of Object.entries(${JSON.stringify(fields)})) {
      const input = document.createElement('input');
      input.type = 'hidden';
      input.name = name;
      input.value = value;
      form.append(input);
    }
    document.body.append(form);
    form.submit();
  })()`);
  await page.waitForURL(`**${action}`);
}
