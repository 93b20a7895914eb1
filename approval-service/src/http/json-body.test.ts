import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isClearanceError } from '@clearance/client';
import { readJson } from './json-body.js';

const limit = 64;

/** An app that echoes the JSON body it read, or the error code it got. */
function echoApp(): Hono {
  const app = new Hono();
  app.post('/echo', async (c) => {
    try {
      return c.json({ body: await readJson(c, limit, 'empty') });
    } catch (err) {
      if (isClearanceError(err)) return c.json({ code: err.code }, 400);
      throw err;
    }
  });
  return app;
}

describe('readJson over a real socket (the Node.js request is read directly)', () => {
  let server: ReturnType<typeof serve>;
  let port: number;

  beforeAll(async () => {
    await new Promise<void>((resolve) => {
      server = serve({ fetch: echoApp().fetch, port: 0, hostname: '127.0.0.1' }, () => resolve());
    });
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  /** Posts `chunks` (chunked unless `length` is announced) and returns the status and body. */
  const post = (chunks: string[], headers: Record<string, string> = {}) =>
    new Promise<{ status: number; body: unknown }>((resolve, reject) => {
      const req = request(
        { host: '127.0.0.1', port, method: 'POST', path: '/echo', headers, agent: false },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (text += chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
        },
      );
      req.on('error', reject);
      for (const chunk of chunks) req.write(chunk);
      req.end();
    });

  it('parses a body sent in several chunks', async () => {
    expect(await post(['{"a":', '[1,2', ',"é"]}'])).toEqual({
      status: 200,
      body: { body: { a: [1, 2, 'é'] } },
    });
  });

  it('refuses a body past the limit, announced or not, and keeps serving', async () => {
    const big = JSON.stringify({ a: 'x'.repeat(limit) });
    expect(await post([big.slice(0, 40), big.slice(40)])).toEqual({
      status: 400,
      body: { code: 'ERR_PAYLOAD_TOO_LARGE' },
    });
    expect(await post([big], { 'content-length': String(big.length) })).toEqual({
      status: 400,
      body: { code: 'ERR_PAYLOAD_TOO_LARGE' },
    });
    expect(await post(['[1]'])).toEqual({ status: 200, body: { body: [1] } });
  });

  it('answers an empty body with the given value and malformed JSON with ERR_BAD_REQUEST', async () => {
    expect(await post([])).toEqual({ status: 200, body: { body: 'empty' } });
    expect(await post(['{"a":'])).toEqual({ status: 400, body: { code: 'ERR_BAD_REQUEST' } });
  });
});

describe('readJson in process (a web request body)', () => {
  const app = echoApp();
  const send = async (body: string) => {
    const res = await app.request('/echo', { method: 'POST', body });
    return { status: res.status, body: (await res.json()) as unknown };
  };

  it('parses a body within the limit and refuses one past it', async () => {
    expect(await send('{"a":1}')).toEqual({ status: 200, body: { body: { a: 1 } } });
    expect(await send(JSON.stringify({ a: 'x'.repeat(limit) }))).toEqual({
      status: 400,
      body: { code: 'ERR_PAYLOAD_TOO_LARGE' },
    });
  });
});
