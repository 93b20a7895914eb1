import type { IncomingMessage } from 'node:http';
import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { ClearanceError } from '@clearance/client';
import { assertJsonTextDepth } from '../service/json-shape.js';
import { incomingOf } from './node-request.js';

function tooLarge(maxBytes: number): ClearanceError {
  return new ClearanceError('ERR_PAYLOAD_TOO_LARGE', `the request body exceeds ${maxBytes} bytes`);
}

interface ParsedBody {
  text: string;
  value: unknown;
}

/** The body each request's `jsonBody` read and parsed, for its validator to take as it is. */
const parsedBodies = new WeakMap<Request, ParsedBody>();

/** The JSON a body stands for, parsed once: malformed or too deeply nested, it is refused. */
function checkedJson(text: string, empty: unknown): ParsedBody {
  if (text.trim() === '') {
    if (empty !== undefined) return { text: JSON.stringify(empty), value: empty };
    throw new ClearanceError('ERR_BAD_REQUEST', 'expected a JSON body');
  }
  assertJsonTextDepth(text);
  try {
    return { text, value: JSON.parse(text) as unknown };
  } catch {
    throw new ClearanceError('ERR_BAD_REQUEST', 'the request body is not valid JSON');
  }
}

/**
 * The value of the body `jsonBody` parsed for this request; without `jsonBody` on the route,
 * the body parsed here (malformed, ERR_BAD_REQUEST).
 */
export async function jsonBodyOf(c: Context): Promise<unknown> {
  const parsed = parsedBodies.get(c.req.raw);
  if (parsed) return parsed.value;
  try {
    return (await c.req.json()) as unknown;
  } catch {
    throw new ClearanceError('ERR_BAD_REQUEST', 'the request body is not valid JSON');
  }
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
 * ERR_BAD_REQUEST. The body is parsed once: the validator takes the parsed value
 * (`jsonBodyOf`) whatever media type it was sent as, and `c.req.text()` and `c.req.json()` still
 * read the text.
 */
export function jsonBody(maxBytes: number, options: JsonBodyOptions = {}): MiddlewareHandler {
  const limited = bodyLimit({
    maxSize: maxBytes,
    onError: () => {
      throw tooLarge(maxBytes);
    },
  });
  const take = async (c: Context, text: string, next: () => Promise<void>) => {
    const parsed = checkedJson(text, options.empty);
    parsedBodies.set(c.req.raw, parsed);
    // Hono keeps the promise of each body it read there (its type says the method).
    (c.req.bodyCache as Record<string, Promise<unknown>>).text = Promise.resolve(parsed.text);
    await next();
  };
  return async (c, next) => {
    const incoming = incomingOf(c);
    if (incoming) return take(c, await readIncoming(incoming, maxBytes), next);
    return limited(c, async () => take(c, await c.req.raw.text(), next));
  };
}

/** Decodes as `Request.text()` does: invalid sequences replaced, a leading BOM dropped. */
const utf8 = new TextDecoder();

/**
 * The body of a Node request as text (UTF-8, as `Request.text()` decodes it), refused as soon as
 * it is known to exceed `maxBytes`: from the announced length, else while it is read. The
 * same limits as `hono/body-limit`, without the web stream it reads through.
 */
function readIncoming(incoming: IncomingMessage, maxBytes: number): Promise<string> {
  const announced = incoming.headers['content-length'];
  if (announced !== undefined && Number(announced) > maxBytes) {
    return Promise.reject(tooLarge(maxBytes));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = (err?: Error) => {
      incoming.off('data', onData).off('end', onEnd).off('error', done).off('close', onClose);
      if (err) reject(err);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) return done(tooLarge(maxBytes));
      chunks.push(chunk);
    };
    const onEnd = () => {
      done();
      resolve(utf8.decode(Buffer.concat(chunks, size)));
    };
    // Closed before its end: the client went away mid-body.
    const onClose = () =>
      done(new ClearanceError('ERR_BAD_REQUEST', 'the request body was cut off'));
    incoming.on('data', onData).on('end', onEnd).on('error', done).on('close', onClose);
  });
}
