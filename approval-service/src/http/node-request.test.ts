import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { incomingOf, requestHeader } from './node-request.js';

/** Answers a header as read from the Node request and as the web request has it. */
const app = new Hono().get('/h/:name', (c) => {
  const name = c.req.param('name');
  return c.json({
    node: incomingOf(c) !== undefined,
    read: requestHeader(c, name) ?? null,
    web: c.req.header(name) ?? null,
  });
});

describe('request headers read from the Node request', () => {
  let server: ReturnType<typeof serve>;
  let port: number;
  beforeAll(async () => {
    await new Promise<void>((resolve) => {
      server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve());
    });
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const get = (name: string, headers: Record<string, string | string[]>) =>
    new Promise<unknown>((resolve, reject) => {
      const req = request(
        { host: '127.0.0.1', port, path: `/h/${name}`, headers, agent: false },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (text += chunk));
          res.on('end', () => resolve(JSON.parse(text)));
        },
      );
      req.on('error', reject);
      req.end();
    });

  it('are what the web request gives: one value, several joined (authorization too), none', async () => {
    const cases: [string, Record<string, string | string[]>, string | null][] = [
      ['authorization', { authorization: 'Bearer a' }, 'Bearer a'],
      ['authorization', { authorization: ['Bearer a', 'Bearer b'] }, 'Bearer a, Bearer b'],
      [
        'x-forwarded-for',
        { 'x-forwarded-for': ['198.51.100.1', '203.0.113.9'] },
        '198.51.100.1, 203.0.113.9',
      ],
      ['x-forwarded-for', {}, null],
    ];
    for (const [name, headers, value] of cases) {
      expect(await get(name, headers)).toEqual({ node: true, read: value, web: value });
    }
  });

  it('fall back to the web request in process', async () => {
    const res = await app.request('/h/authorization', { headers: { authorization: 'Bearer a' } });
    expect(await res.json()).toEqual({ node: false, read: 'Bearer a', web: 'Bearer a' });
  });
});
