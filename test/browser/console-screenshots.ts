import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { ClearanceClient } from '@clearance/client';
import { launchChromium, login, startDemoServer, type DemoServer } from './console-fixture.js';
import {
  adminGrantRequest,
  openSshRequest,
  unprotectedDatabaseRequest,
  vendorTrustRequest,
} from './demo-requests.js';

/** Screen sizes the console is shown at. */
export const viewports = {
  laptop: { width: 1280, height: 800 },
  phone: { width: 390, height: 844 },
} as const;

/** The main pages, by screenshot name; `request` is the one waiting for a second approval. */
export const pageNames = ['login', 'pending', 'request', 'approvals', 'history', 'audit'] as const;

/**
 * Opens requests as the policy pack would (real policies, fingerprints and material) and
 * decides some of them: two approved, one denied, one at 1 of 2 (with an earlier approval of the
 * same resource to compare with), one untouched.
 * Returns the id of the request at 1 of 2.
 */
async function seed(demo: DemoServer): Promise<string> {
  const base = demo.server.url;
  const alice = new ClearanceClient({ url: base, token: 'demo-alice' });
  const bob = new ClearanceClient({ url: base, token: 'demo-bob' });

  const approved = await demo.openRequest(
    adminGrantRequest({
      reason: 'Incident INC-4711: database failover needs admin rights',
      durationSeconds: 3600,
    }),
  );
  await alice.review(approved.id, {
    decision: 'approve',
    reason: 'On call, watched',
    durationSeconds: 3600,
  });
  await bob.review(approved.id, { decision: 'approve', reason: 'Agreed', durationSeconds: 3600 });

  const denied = await demo.openRequest(
    unprotectedDatabaseRequest({
      reason: 'Recreate the staging database from scratch',
      durationSeconds: 1800,
    }),
  );
  await bob.review(denied.id, {
    decision: 'deny',
    reason: 'Take a final snapshot first: staging holds the only copy of the test orders',
  });

  // What the vendor was trusted with before, so that the request page compares.
  const earlier = await demo.openRequest(
    vendorTrustRequest(
      { reason: 'Vendor onboarding: first export', durationSeconds: 1800 },
      '111122223333',
    ),
  );
  for (const who of [alice, bob]) {
    await who.review(earlier.id, {
      decision: 'approve',
      reason: 'Onboarding',
      durationSeconds: 1800,
    });
  }

  const half = await demo.openRequest(
    vendorTrustRequest({
      reason: 'Vendor needs a one-off data export <before 17:00>',
      durationSeconds: 1800,
    }),
  );
  await alice.review(half.id, {
    decision: 'approve',
    reason: 'Export only, 30 minutes',
    durationSeconds: 1800,
  });

  await demo.openRequest(
    openSshRequest('bastion-sg', {
      reason: 'Debugging the payment box; closing again after the fix',
      durationSeconds: 1800,
    }),
  );
  return half.id;
}

async function shoot(page: Page, base: string, path: string, file: string): Promise<void> {
  const res = await page.goto(`${base}${path}`);
  const landed = new URL(page.url()).pathname;
  if (res?.status() !== 200 || landed !== new URL(path, base).pathname) {
    throw new Error(`${path} answered ${res?.status()} at ${landed}: not a page to show`);
  }
  await page.screenshot({ path: file, fullPage: true });
}

/**
 * Starts the demo service on a free loopback port with a temporary data directory, seeds it,
 * and screenshots every main page at laptop and phone width with Debian's chromium, as bob.
 * Returns the files written (`<page>-<device>.png` in `outDir`).
 */
export async function takeScreenshots(outDir: string): Promise<string[]> {
  await mkdir(outDir, { recursive: true });
  const [demo, browser] = await Promise.all([startDemoServer(), launchChromium()]);
  const files: string[] = [];
  try {
    const base = demo.server.url;
    const waiting = await seed(demo);
    const paths: Record<(typeof pageNames)[number], string> = {
      login: '/login',
      pending: '/',
      request: `/requests/${waiting}`,
      approvals: '/approvals',
      history: '/history',
      audit: '/audit',
    };
    for (const [device, viewport] of Object.entries(viewports)) {
      const context = await browser.newContext({ viewport, deviceScaleFactor: 1 });
      try {
        const page = await context.newPage();
        for (const name of pageNames) {
          if (name === 'pending') {
            await login(page, base, 'bob');
            // Bob picked his time zone in the console: times show in it beside UTC.
            await context.addCookies([{ name: 'clearance-tz', value: 'Europe/Berlin', url: base }]);
          }
          const file = join(outDir, `${name}-${device}.png`);
          await shoot(page, base, paths[name], file);
          files.push(file);
        }
      } finally {
        await context.close();
      }
    }
  } finally {
    await browser.close();
    await demo.close();
  }
  return files;
}
