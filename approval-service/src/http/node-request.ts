import { IncomingMessage } from 'node:http';
import type { Context } from 'hono';

/**
 * The Node request under `@hono/node-server` (its `env.incoming`), which the API reads its
 * headers and body from without building the web `Request` they stand for; undefined in
 * process (`app.request()`), where the web request is read.
 */
export function incomingOf(c: Context): IncomingMessage | undefined {
  const incoming = (c.env as { incoming?: unknown } | undefined)?.incoming;
  return incoming instanceof IncomingMessage ? incoming : undefined;
}

/**
 * A request header as `c.req.header(name)` gives it: every value it was sent with, joined by
 * ", ". `name` is lowercase.
 */
export function requestHeader(c: Context, name: string): string | undefined {
  const incoming = incomingOf(c);
  if (!incoming) return c.req.header(name);
  return incoming.headersDistinct[name]?.join(', ');
}
