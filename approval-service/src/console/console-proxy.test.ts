import { describe, expect, it } from 'vitest';
import { testApp } from '../testing/test-app.js';
import { consoleConfig, origin, TestBrowser } from './console-harness.case.js';
import { defaultConsoleOptions } from './console-options.js';

/** The whole service app, built from a config as `clearance serve` builds it. */
async function serviceApp(trustProxy: boolean) {
  const { app, services } = await testApp({
    config: await consoleConfig({ trustProxy }),
    maxTokenLifetimeSeconds: 86_400,
  });
  return { app, audit: services.audit };
}

/** The proxy in front: every client reaches the service from this socket address. */
const proxy = { incoming: { socket: { remoteAddress: '10.0.0.2' } } };

/** A browser behind the proxy; `forwardedFor` is the X-Forwarded-For header as it arrives. */
function behindProxy(app: Awaited<ReturnType<typeof serviceApp>>['app'], forwardedFor: string) {
  return new TestBrowser(app, origin, proxy, { 'x-forwarded-for': forwardedFor });
}

const limit = defaultConsoleOptions.loginLimitPerAddress;

/** Failed logins spread over unknown accounts, so that only the per-address limit can trip. */
async function failFrom(browser: TestBrowser, times: number): Promise<void> {
  for (let i = 0; i < times; i++) {
    expect((await browser.login(`nobody-${i}`, 'guess')).status).toBe(401);
  }
}

describe(
  'console login limit behind a proxy (service config trustProxy)',
  { timeout: 60_000 },
  () => {
    it('with trustProxy, keys the per-address limit on the last X-Forwarded-For hop', async () => {
      const { app, audit } = await serviceApp(true);
      // The first hop is what the client wrote; the last one is what the proxy appended.
      await failFrom(behindProxy(app, '192.0.2.1, 203.0.113.7'), limit);
      const failures = await audit.readAudit({ action: 'auth.failed' });
      expect(new Set(failures.map((e) => e.data?.address))).toEqual(new Set(['203.0.113.7']));

      // A new client-written first hop does not escape the limit of the proxy-seen address.
      const sameAddress = behindProxy(app, '198.51.100.99, 203.0.113.7');
      expect((await sameAddress.login('alice', 'guess')).status).toBe(429);
      // Another client behind the same proxy (same socket) is not limited.
      expect((await behindProxy(app, '203.0.113.8').login('alice', 'guess')).status).toBe(401);
      // A right password always signs in.
      expect((await sameAddress.login('alice')).status).toBe(303);
    });

    it('without trustProxy, ignores X-Forwarded-For and keys on the socket peer', async () => {
      const { app, audit } = await serviceApp(false);
      await failFrom(behindProxy(app, '203.0.113.7'), limit);
      const failures = await audit.readAudit({ action: 'auth.failed' });
      expect(new Set(failures.map((e) => e.data?.address))).toEqual(new Set(['10.0.0.2']));

      // Every client of that socket shares its limit, whatever the header says...
      expect((await behindProxy(app, '203.0.113.8').login('alice', 'guess')).status).toBe(429);
      const direct = new TestBrowser(app, origin, {
        incoming: { socket: { remoteAddress: '10.0.0.3' } },
      });
      expect((await direct.login('alice', 'guess')).status).toBe(401);
      // ...but it limits failures only: the right password gets in from behind it too.
      expect((await behindProxy(app, '203.0.113.8').login('bob')).status).toBe(303);
    });
  },
);
