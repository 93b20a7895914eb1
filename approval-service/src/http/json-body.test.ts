import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { isClearanceError, jsonLimits } from '@clearance/client';
import { jsonBody } from './json-body.js';
import { validInput } from './valid-input.js';

const limit = 64;

/** An app that echoes the JSON body it read, or the error code it got. */
function echoApp(): Hono {
  const app = new Hono();
  app.onError((err, c) => {
    if (isClearanceError(err)) return c.json({ code: err.code }, 400);
    throw err;
  });
  app.post('/echo', jsonBody(limit, { empty: 'empty' }), async (c) =>
    c.json({ body: (await c.req.json()) as unknown }),
  );
  return app;
}

describe('a JSON body over a real socket', () => {
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
  const post = (chunks: (string | Buffer)[], headers: Record<string, string> = {}) =>
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

  it('decodes as a web request does: a leading BOM dropped, a character split across chunks kept', async () => {
    const bytes = Buffer.from('\uFEFF{"a":"é✓"}', 'utf8');
    const chunks = [bytes.subarray(0, 2), bytes.subarray(2, 11), bytes.subarray(11)];
    expect(await post(chunks)).toEqual({ status: 200, body: { body: { a: 'é✓' } } });
  });

  it('keeps serving after a client that went away mid-body', async () => {
    await new Promise<void>((resolve) => {
      const req = request({
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/echo',
        headers: { 'content-length': '50' },
        agent: false,
      });
      req.on('error', () => resolve());
      req.write('{"a":', () => {
        req.destroy();
        resolve();
      });
    });
    expect(await post(['[2]'])).toEqual({ status: 200, body: { body: [2] } });
  });
});

describe('a JSON body in process (a web request body)', () => {
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

describe('a JSON body and its validator', () => {
  const schema = z.object({ a: z.number() }).strict();
  const app = new Hono();
  app.onError((err, c) =>
    isClearanceError(err) ? c.json({ code: err.code, message: err.message }, 400) : c.text('', 500),
  );
  app.post('/valid', jsonBody(limit, { empty: {} }), validInput('json', z.object({})), (c) =>
    c.json({ body: c.req.valid('json') }),
  );
  app.post('/a', jsonBody(limit), validInput('json', schema), (c) =>
    c.json({ body: c.req.valid('json') }),
  );
  const send = async (path: string, body: string, headers: Record<string, string> = {}) => {
    const res = await app.request(path, { method: 'POST', body, headers });
    return { status: res.status, body: (await res.json()) as unknown };
  };

  it('validates the body whatever media type it was sent as', async () => {
    for (const type of [undefined, 'text/plain', 'application/x-www-form-urlencoded']) {
      const headers: Record<string, string> = type ? { 'content-type': type } : {};
      expect(await send('/a', '{"a":1}', headers)).toEqual({
        status: 200,
        body: { body: { a: 1 } },
      });
      expect((await send('/a', '{"b":1}', headers)).body).toMatchObject({ code: 'ERR_VALIDATION' });
    }
  });

  it('hands the validator the empty value for an empty body, sent as JSON or as nothing', async () => {
    for (const headers of [{}, { 'content-type': 'application/json' }]) {
      expect(await send('/valid', '', headers)).toEqual({ status: 200, body: { body: {} } });
    }
  });

  it('refuses input past the JSON limits as such, even when it also fails the schema', async () => {
    const long = 'x'.repeat(jsonLimits.maxStringLength + 1);
    const big = new Hono();
    big.onError((err, c) => c.json({ code: isClearanceError(err) ? err.code : 'other' }, 400));
    big.post('/a', jsonBody(jsonLimits.maxStringLength * 2), validInput('json', schema), (c) =>
      c.json({ body: c.req.valid('json') }),
    );
    const res = await big.request('/a', { method: 'POST', body: JSON.stringify({ b: long }) });
    expect(await res.json()).toEqual({ code: 'ERR_INPUT_LIMIT' });
  });

  it('parses the body once, for the check and the validator both', async () => {
    const parse = vi.spyOn(JSON, 'parse');
    try {
      const res = await app.request('/a', { method: 'POST', body: '{"a":7}' });
      expect(parse.mock.calls.filter(([text]) => text === '{"a":7}')).toHaveLength(1);
      expect(await res.json()).toEqual({ body: { a: 7 } });
    } finally {
      parse.mockRestore();
    }
  });

  it('validates a body on a route without jsonBody, and refuses malformed JSON there', async () => {
    const bare = new Hono();
    bare.onError((err, c) => c.json({ code: isClearanceError(err) ? err.code : 'other' }, 400));
    bare.post('/a', validInput('json', schema), (c) => c.json({ body: c.req.valid('json') }));
    const post = async (body: string) =>
      (await bare.request('/a', { method: 'POST', body })).json() as Promise<unknown>;
    expect(await post('{"a":2}')).toEqual({ body: { a: 2 } });
    expect(await post('{"a":')).toEqual({ code: 'ERR_BAD_REQUEST' });
  });
});
