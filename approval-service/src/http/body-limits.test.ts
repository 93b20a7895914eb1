import { request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { describe, expect, it } from 'vitest';
import { ClearanceClient, endpointLimits, type CheckItem } from '@clearance/client';
import { appHarness, demoTokens, errorOf, requestBody, type Harness } from './app-harness.case.js';

const item = (n: number): CheckItem => ({
  urn: `${requestBody.urn}-${n}`,
  policy: requestBody.policy,
  fingerprint: n.toString(16).padStart(64, '0'),
});

async function refused(
  h: Harness,
  path: string,
  raw: string,
  headers: Record<string, string> = {},
) {
  const before = await h.snapshot();
  const error = await errorOf(await h.call('POST', path, { as: 'carol', raw, headers }));
  expect(await h.snapshot()).toEqual(before);
  return error;
}

describe('POST /v1/checks is capped', () => {
  it(`answers at most ${endpointLimits.checks.maxItems} items per call`, async () => {
    const h = await appHarness();
    const items = Array.from({ length: endpointLimits.checks.maxItems + 1 }, (_, i) => item(i));
    const err = await refused(h, '/v1/checks', JSON.stringify({ stack: requestBody.stack, items }));
    expect(err).toMatchObject({
      status: 400,
      code: 'ERR_VALIDATION',
      message: expect.stringMatching(/^items: /),
    });
  });

  it('refuses a body past its limit, announced or not, before parsing it', async () => {
    const h = await appHarness();
    const max = endpointLimits.checks.maxBodyBytes;
    const raw = JSON.stringify({ stack: requestBody.stack, items: [], pad: 'x'.repeat(max) });
    const streamed = await refused(h, '/v1/checks', raw);
    expect(streamed).toEqual({
      status: 413,
      code: 'ERR_PAYLOAD_TOO_LARGE',
      message: `the request body exceeds ${max} bytes`,
    });
    const announced = await refused(h, '/v1/checks', raw, { 'content-length': String(raw.length) });
    expect(announced.code).toBe('ERR_PAYLOAD_TOO_LARGE');
  });

  it('per endpoint: a body a request may carry is too large for a review', async () => {
    const h = await appHarness();
    const { id } = await h.json('POST', '/v1/requests', 'carol', requestBody);
    const text = 'é'.repeat(40_000); // 80,000 bytes
    expect(Buffer.byteLength(text)).toBeGreaterThan(endpointLimits.decision.maxBodyBytes);
    expect(Buffer.byteLength(text)).toBeLessThan(endpointLimits.createRequest.maxBodyBytes);
    const review = JSON.stringify({ decision: 'deny', reason: text });
    const res = await h.call('POST', `/v1/requests/${id}/reviews`, { as: 'alice', raw: review });
    expect(await errorOf(res)).toMatchObject({ status: 413, code: 'ERR_PAYLOAD_TOO_LARGE' });
    const create = JSON.stringify({ ...requestBody, summary: text });
    const res2 = await h.call('POST', '/v1/requests', { as: 'carol', raw: create });
    expect(await errorOf(res2)).toMatchObject({ status: 400, code: 'ERR_VALIDATION' });
  });

  it('over a socket, answers 16 parallel 15 MB bodies with 413 without reading them', async () => {
    const h = await appHarness();
    const server = serve({ fetch: h.app.fetch, port: 0, hostname: '127.0.0.1' }) as Server;
    await new Promise<void>((resolve) => server.once('listening', () => resolve()));
    const { port } = server.address() as AddressInfo;
    const length = 15 * 1024 * 1024;
    const post = () =>
      new Promise<number>((resolve, reject) => {
        const req = httpRequest(
          {
            host: '127.0.0.1',
            port,
            method: 'POST',
            path: '/v1/checks',
            agent: false,
            headers: {
              authorization: `Bearer ${demoTokens.carol}`,
              'content-type': 'application/json',
              'content-length': String(length),
            },
          },
          (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
            req.destroy();
          },
        );
        req.on('error', (err) => (req.destroyed ? undefined : reject(err)));
        req.write(`{"stack":"${requestBody.stack}","items":[`); // and never the rest
      });
    try {
      expect(await Promise.all(Array.from({ length: 16 }, post))).toEqual(new Array(16).fill(413));
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});

describe('the client splits bulk calls to stay within the caps', () => {
  function clientOf(h: Harness, seen: number[]) {
    return new ClearanceClient({
      url: 'http://127.0.0.1:8080',
      token: demoTokens.carol,
      fetch: (async (url: string | URL, init?: RequestInit) => {
        seen.push(Buffer.byteLength(String(init?.body ?? '')));
        return h.app.request(String(url), init);
      }) as typeof fetch,
    });
  }

  it('checks: as many calls as the item cap requires, answered in order', async () => {
    const h = await appHarness();
    const seen: number[] = [];
    const items = Array.from({ length: 2 * endpointLimits.checks.maxItems + 10 }, (_, i) =>
      item(i),
    );
    const { results } = await clientOf(h, seen).checks({ stack: requestBody.stack, items });
    expect(seen).toHaveLength(3);
    expect(results.map((r) => r.urn)).toEqual(items.map((i) => i.urn));
    expect(results.every((r) => r.status === 'none')).toBe(true);
  });

  it('checks and run reports: as many calls as the body cap requires', async () => {
    const h = await appHarness();
    const seen: number[] = [];
    const long = (n: number): CheckItem => ({
      ...item(n),
      urn: `${requestBody.urn}-${'x'.repeat(1800)}-${n}`,
    });
    const items = Array.from({ length: 2000 }, (_, i) => long(i));
    const client = clientOf(h, seen);
    const { results } = await client.checks({ stack: requestBody.stack, items });
    expect(results).toHaveLength(2000);
    expect(seen.length).toBeGreaterThan(1);
    expect(Math.max(...seen)).toBeLessThanOrEqual(endpointLimits.checks.maxBodyBytes);
    seen.length = 0;
    const blocked = Array.from({ length: 3000 }, (_, i) => long(i));
    await client.reportRun({
      stack: requestBody.stack,
      run: { id: 'run-1', dryRun: true },
      used: [],
      blocked,
    });
    expect(seen.length).toBeGreaterThan(1);
    expect(Math.max(...seen)).toBeLessThanOrEqual(endpointLimits.runs.maxBodyBytes);
    expect(await h.store.readAudit({ action: 'run.blocked' })).toHaveLength(3000);
  });
});
