import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { clientAddress, isTls } from './transport.js';

function probe(trustProxy: boolean) {
  const app = new Hono();
  app.get('/', (c) => c.json({ tls: isTls(c, trustProxy), address: clientAddress(c, trustProxy) }));
  return app;
}

describe('isTls and clientAddress', () => {
  it('see TLS from an https request URL', async () => {
    const res = await probe(false).request('https://clearance.example/');
    expect(await res.json()).toMatchObject({ tls: true });
  });

  it('ignore X-Forwarded-* unless the proxy is trusted', async () => {
    const headers = { 'x-forwarded-proto': 'https', 'x-forwarded-for': '203.0.113.9, 10.0.0.1' };
    const untrusted = await probe(false).request('http://clearance.example/', { headers });
    expect(await untrusted.json()).toEqual({ tls: false, address: 'unknown' });
    const trusted = await probe(true).request('http://clearance.example/', { headers });
    // The last hop is the one the trusted proxy appended; earlier ones are the client's word.
    expect(await trusted.json()).toEqual({ tls: true, address: '10.0.0.1' });
  });

  it('take the socket peer address from the Node bindings', async () => {
    const env = { incoming: { socket: { remoteAddress: '127.0.0.1' } } };
    const res = await probe(false).request('http://x/', {}, env);
    expect(await res.json()).toEqual({ tls: false, address: '127.0.0.1' });
  });
});
