/**
 * Takes screenshots of the console's main pages at laptop and phone widths into
 * docs/screenshots/. Starts the demo service on a free loopback port with a temporary data
 * directory, seeds a few requests through the HTTP API, then drives Debian's chromium.
 *
 *   npx tsx scripts/screenshots.ts
 */
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { ClearanceClient } from '../approval-service/src/client/http-client.js';
import { launchChromium, login, startDemoServer } from '../test/browser/console-fixture.js';

const outDir = fileURLToPath(new URL('../docs/screenshots/', import.meta.url));
const viewports = {
  laptop: { width: 1280, height: 800 },
  phone: { width: 390, height: 844 },
} as const;

function hex(n: number): string {
  return n.toString(16).padStart(64, '0');
}

async function main(): Promise<void> {
  await mkdir(outDir, { recursive: true });
  const demo = await startDemoServer();
  const browser = await launchChromium();
  try {
    const base = demo.server.url;
    const alice = new ClearanceClient({ url: base, token: 'demo-alice' });
    const bob = new ClearanceClient({ url: base, token: 'demo-bob' });

    const approved = await demo.openRequest({
      stack: 'acme/payments/prod',
      urn: 'urn:pulumi:prod::payments::aws:iam/rolePolicyAttachment:RolePolicyAttachment::breakglass-admin',
      type: 'aws:iam/rolePolicyAttachment:RolePolicyAttachment',
      policy: 'aws-iam-admin-attachment',
      fingerprint: hex(1),
      summary: 'Attaches AdministratorAccess to the on-call role',
      reason: 'Incident INC-4711: database failover needs admin rights',
      durationSeconds: 3600,
      material: { policyArn: 'arn:aws:iam::aws:policy/AdministratorAccess', role: 'oncall' },
    });
    await alice.review(approved.id, {
      decision: 'approve',
      reason: 'On call, watched',
      durationSeconds: 3600,
    });
    await bob.review(approved.id, { decision: 'approve', reason: 'Agreed', durationSeconds: 3600 });

    const half = await demo.openRequest({
      stack: 'acme/shop/prod',
      urn: 'urn:pulumi:prod::shop::aws:rds/instance:Instance::orders-db',
      type: 'aws:rds/instance:Instance',
      policy: 'aws-rds-instance-public',
      fingerprint: hex(2),
      summary: 'Makes the orders database reachable from the internet',
      reason: 'Vendor needs a one-off data export <before 17:00>',
      durationSeconds: 1800,
      material: {
        publiclyAccessible: true,
        masterPassword: { $secretSha256: hex(99) },
        vpcSecurityGroupIds: ['sg-0a1b2c3d'],
      },
    });
    await alice.review(half.id, {
      decision: 'approve',
      reason: 'Export only, 30 minutes',
      durationSeconds: 1800,
    });

    await demo.openRequest({
      summary: 'Ingress rule opens port 22 to 0.0.0.0/0',
      reason: 'Debugging the payment box; closing again after the fix',
    });

    const pages: [string, string][] = [
      ['login', '/login'],
      ['pending', '/'],
      ['request', `/requests/${half.id}`],
      ['approvals', '/approvals'],
      ['history', '/history'],
      ['audit', '/audit'],
    ];
    for (const [device, viewport] of Object.entries(viewports)) {
      const context = await browser.newContext({ viewport, deviceScaleFactor: 1 });
      const page: Page = await context.newPage();
      await page.goto(`${base}/login`);
      await shoot(page, `login-${device}`);
      await login(page, base, 'bob');
      for (const [name, path] of pages.slice(1)) {
        await page.goto(`${base}${path}`);
        await shoot(page, `${name}-${device}`);
      }
      await context.close();
    }
    console.log(`Screenshots written to ${outDir}`);
  } finally {
    await browser.close();
    await demo.close();
  }
}

async function shoot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: `${outDir}${name}.png`, fullPage: true });
}

await main();
