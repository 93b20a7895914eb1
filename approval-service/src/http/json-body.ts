import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { ClearanceError } from '@clearance/client';
import { assertJsonTextDepth } from '../service/json-shape.js';

const jsonMediaType = /^application\/([\w.-]+\+)?json$/i;

function tooLarge(maxBytes: number): ClearanceError {
  return new ClearanceError('ERR_PAYLOAD_TOO_LARGE', `the request body exceeds ${maxBytes} bytes`);
}

/** The JSON text a body stands for: malformed or too deeply nested, it is refused. */
function checkedJson(text: string, empty: unknown): string {
  if (text.trim() === '') {
    if (empty !== undefined) return JSON.stringify(empty);
    throw new ClearanceError('ERR_BAD_REQUEST', 'expected a JSON body');
  }
  assertJsonTextDepth(text);
  try {
    JSON.parse(text);
  } catch {
    throw new ClearanceError('ERR_BAD_REQUEST', 'the request body is not valid JSON');
  }
  return text;
}

export interface JsonBodyOptions {
  /** What an empty body stands for; without it, an empty body is ERR_BAD_REQUEST. */
  empty?: unknown;
}

/**
 * The body of a JSON endpoint, checked before its validator (`validInput('json', …)`) reads
 * it: longer than `maxBytes` it is ERR_PAYLOAD_TOO_LARGE (`hono/body-limit`: from the announced
 * length when there is one, else while reading); nested deeper than the JSON limits it is
 * ERR_INPUT_LIMIT, refused before it is parsed; malformed, or empty without an `empty` value, it is
 * ERR_BAD_REQUEST. The validator then reads it as JSON whatever media type it was sent as (as
 * `hono/body-limit` does with a body it has read, the request is rebuilt around the text).
 */
export function jsonBody(maxBytes: number, options: JsonBodyOptions = {}): MiddlewareHandler {
  const limited = bodyLimit({
    maxSize: maxBytes,
    onError: () => {
      throw tooLarge(maxBytes);
    },
  });
  return (c, next) =>
    limited(c, async () => {
      const body = checkedJson(await c.req.raw.text(), options.empty);
      const headers = new Headers(c.req.raw.headers);
      if (!jsonMediaType.test(headers.get('content-type')?.split(';')[0]?.trim() ?? '')) {
        headers.set('content-type', 'application/json');
      }
      c.req.raw = new Request(c.req.raw, { headers, body });
      await next();
    });
}
