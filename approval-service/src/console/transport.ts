import type { Context } from 'hono';
import { clientAddressKey } from '../auth/client-address.js';

/** Whether the browser reached the console over TLS. Proxy headers count only when trusted. */
export function isTls(c: Context, trustProxy: boolean): boolean {
  if (new URL(c.req.url).protocol === 'https:') return true;
  if (!trustProxy) return false;
  const forwarded = c.req.header('x-forwarded-proto')?.split(',')[0]?.trim().toLowerCase();
  return forwarded === 'https';
}

interface NodeBindings {
  incoming?: { socket?: { remoteAddress?: string } };
}

/**
 * The client's address key for rate limiting, as the API's limiter computes it: the socket
 * peer, or, behind a trusted proxy, the hop that proxy appended (never one a client wrote).
 */
export function clientAddress(c: Context, trustProxy: boolean): string {
  const env = c.env as NodeBindings | undefined;
  return clientAddressKey(
    {
      connection: env?.incoming?.socket?.remoteAddress,
      forwardedFor: c.req.header('x-forwarded-for'),
    },
    trustProxy,
  );
}
