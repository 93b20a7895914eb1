import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { hashApiToken } from '../auth/secrets.js';
import type { ErrorBody } from '@clearance/client';
import type { ServiceConfig } from '../config/config-schema.js';
import { appHarness, type Harness } from './app-harness.case.js';
import { bearerAuth, type ApiEnv } from './bearer-auth.js';
import { handleError } from './error-response.js';

/** Node bindings as `@hono/node-server` hands them to the app, for a peer at `address`. */
function peer(address: string) {
  return { incoming: { socket: { remoteAddress: address, remoteFamily: 'IPv4' } } };
}

function listFrom(h: Harness, address: string, headers: Record<string, string> = {}) {
  return h.app.request('/v1/requests', { headers }, peer(address));
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

async function codeOf(res: Response): Promise<string> {
  return ((await res.json()) as ErrorBody).error.code;
}

async function failureLines(h: Harness) {
  return h.services.audit.readAudit({ action: 'auth.failed' });
}

const countOf = (lines: { data?: Record<string, unknown> }[]) =>
  lines.reduce((sum, line) => sum + Number(line.data?.count), 0);

const small = { apiAuthLimit: { failures: 3, windowSeconds: 60 } } satisfies Partial<ServiceConfig>;

describe('failed API authentication is limited per address and audited coalesced', () => {
  it('1,000 bad tokens from one address write a handful of lines whose counts add up', async () => {
    const h = await appHarness();
    const statuses = new Map<number, number>();
    for (let i = 0; i < 1000; i++) {
      const res = await listFrom(h, '203.0.113.9', bearer(`guess-${i}`));
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
    }
    expect(Object.fromEntries(statuses)).toEqual({ 401: 10, 429: 990 });
    expect((await failureLines(h)).length).toBeLessThanOrEqual(2);
    h.clock.advanceSeconds(300);
    await h.services.auth.flushAuthFailures();
    const lines = await failureLines(h);
    expect(lines.length).toBeLessThanOrEqual(4);
    expect(countOf(lines)).toBe(1000);
    expect(lines.every((l) => l.data?.address === '203.0.113.9')).toBe(true);
    expect(countOf(lines.filter((l) => l.data?.reason === 'rate limited'))).toBe(990);
  });

  it('also coalesces a parallel burst', async () => {
    const h = await appHarness();
    const burst = Array.from({ length: 200 }, (_, i) =>
      listFrom(h, '203.0.113.9', bearer(`guess-${i}`)),
    );
    const statuses = (await Promise.all(burst)).map((r) => r.status);
    expect(statuses.filter((s) => s === 401)).toHaveLength(10);
    await h.services.auth.flushAuthFailures({ all: true });
    const lines = await failureLines(h);
    expect(lines.length).toBeLessThanOrEqual(4);
    expect(countOf(lines)).toBe(200);
  });

  it('always serves a valid token, also from an address whose failures are being limited', async () => {
    const h = await appHarness(small);
    for (let i = 0; i < 3; i++) {
      expect((await listFrom(h, '203.0.113.9', bearer('wrong'))).status).toBe(401);
    }
    const limited = await listFrom(h, '203.0.113.9', bearer('wrong'));
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('1');
    expect(await codeOf(limited)).toBe('ERR_RATE_LIMITED');
    for (let i = 0; i < 20; i++) await listFrom(h, '203.0.113.9', bearer(`guess-${i}`));
    expect((await listFrom(h, '203.0.113.9', bearer('demo-carol'))).status).toBe(200);
    expect((await listFrom(h, '203.0.113.9', bearer('demo-alice'))).status).toBe(200);
  });

  it('backs off: each failure after a wait doubles the next wait, up to the window', async () => {
    const h = await appHarness(small);
    for (let i = 0; i < 3; i++) await listFrom(h, '203.0.113.9', bearer('wrong'));
    const waits: (string | null)[] = [];
    for (let i = 0; i < 8; i++) {
      const refused = await listFrom(h, '203.0.113.9', bearer('wrong'));
      expect(refused.status).toBe(429);
      const wait = refused.headers.get('retry-after');
      waits.push(wait);
      h.clock.advance(Number(wait) * 1000 - 1);
      expect((await listFrom(h, '203.0.113.9', bearer('wrong'))).status).toBe(429);
      h.clock.advance(1);
      expect((await listFrom(h, '203.0.113.9', bearer('wrong'))).status).toBe(401);
    }
    expect(waits).toEqual(['1', '2', '4', '8', '16', '32', '60', '60']);
    h.clock.advanceSeconds(60);
    expect((await listFrom(h, '203.0.113.9', bearer('wrong'))).status).toBe(401);
  });

  it('serves a good token from another address while one address is limited', async () => {
    const h = await appHarness(small);
    for (let i = 0; i < 4; i++) await listFrom(h, '203.0.113.9', bearer('wrong'));
    expect((await listFrom(h, '203.0.113.9', bearer('wrong'))).status).toBe(429);
    expect((await listFrom(h, '198.51.100.20', bearer('demo-carol'))).status).toBe(200);
    expect((await listFrom(h, '198.51.100.21', bearer('wrong'))).status).toBe(401);
  });

  it('never writes token material into the audit, not even a hash prefix', async () => {
    const h = await appHarness(small);
    const tokens = ['s3cret-token-one', 'tok_two_Zx9Qw', 'third-secret'];
    for (const [i, token] of tokens.entries()) {
      await listFrom(h, `203.0.113.${i}`, bearer(token));
      await listFrom(h, `203.0.113.${i}`, { authorization: `Basic ${token}` });
      for (let n = 0; n < 4; n++) await listFrom(h, `203.0.113.${i}`, bearer(token));
    }
    h.clock.advanceSeconds(60);
    await h.services.auth.flushAuthFailures();
    const text = JSON.stringify(await h.store.readAudit());
    expect(countOf(await failureLines(h))).toBe(18);
    for (const token of tokens) {
      expect(text).not.toContain(token);
      expect(text).not.toContain(hashApiToken(token).slice(0, 8));
    }
  });

  it('ignores X-Forwarded-For unless trustProxy is set', async () => {
    const direct = await appHarness(small);
    for (let i = 0; i < 3; i++) {
      const spoofed = { ...bearer('wrong'), 'x-forwarded-for': `198.51.100.${i}` };
      expect((await listFrom(direct, '10.0.0.1', spoofed)).status).toBe(401);
    }
    const fresh = { ...bearer('wrong'), 'x-forwarded-for': '198.51.100.99' };
    expect((await listFrom(direct, '10.0.0.1', fresh)).status).toBe(429);
    const directLines = await failureLines(direct);
    expect(directLines.map((l) => l.data?.address)).toEqual(['10.0.0.1', '10.0.0.1']);

    const proxied = await appHarness({ ...small, trustProxy: true });
    const via = (client: string) => ({
      ...bearer('wrong'),
      'x-forwarded-for': `1.1.1.1, ${client}`,
    });
    for (let i = 0; i < 3; i++) await listFrom(proxied, '10.0.0.1', via('198.51.100.7'));
    expect((await listFrom(proxied, '10.0.0.1', via('198.51.100.7'))).status).toBe(429);
    expect((await listFrom(proxied, '10.0.0.1', via('198.51.100.8'))).status).toBe(401);
    const proxiedLines = await failureLines(proxied);
    expect(proxiedLines.map((l) => l.data?.address)).toEqual([
      '198.51.100.7',
      '198.51.100.7',
      '198.51.100.8',
    ]);
  });

  it('limits a whole IPv6 /64 together', async () => {
    const h = await appHarness(small);
    for (let i = 1; i <= 3; i++) await listFrom(h, `2001:db8:5:6::${i}`, bearer('wrong'));
    expect((await listFrom(h, '2001:db8:5:6:ffff::1', bearer('wrong'))).status).toBe(429);
    expect((await listFrom(h, '2001:db8:5:7::1', bearer('wrong'))).status).toBe(401);
  });

  it('takes the connection address from an injected resolver', async () => {
    const h = await appHarness(small);
    const app = new Hono<ApiEnv>();
    app.onError(handleError(() => undefined));
    app.use(
      '*',
      bearerAuth(h.services.auth, { connectionAddress: (c) => c.req.header('x-test-peer') }),
    );
    app.get('/who', (c) => c.text(c.get('actor').id));
    const from = (address: string, token: string) =>
      app.request('/who', { headers: { 'x-test-peer': address, ...bearer(token) } });
    for (let i = 0; i < 3; i++) await from('192.0.2.1', 'wrong');
    expect((await from('192.0.2.1', 'wrong')).status).toBe(429);
    expect((await from('192.0.2.2', 'wrong')).status).toBe(401);
    expect(await (await from('192.0.2.1', 'demo-alice')).text()).toBe('alice');
    const lines = await failureLines(h);
    expect(lines.map((l) => l.data?.address)).toEqual(['192.0.2.1', '192.0.2.1', '192.0.2.2']);
  });
});
