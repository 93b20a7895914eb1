import { IncomingMessage } from 'node:http';
import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { ClearanceError } from '@clearance/client';
import { assertJsonTextDepth } from '../service/json-shape.js';

function tooLarge(maxBytes: number): ClearanceError {
  return new ClearanceError('ERR_PAYLOAD_TOO_LARGE', `the request body exceeds ${maxBytes} bytes`);
}

/**
 * The Node.js request behind `c` when the app runs on @hono/node-server and nothing has read
 * its body yet: reading it directly spares building a web stream around it.
 */
function unreadIncoming(c: Context): IncomingMessage | undefined {
  const incoming = (c.env as { incoming?: unknown } | undefined)?.incoming;
  if (!(incoming instanceof IncomingMessage)) return undefined;
  return incoming.readableDidRead || incoming.listenerCount('data') > 0 ? undefined : incoming;
}

/**
 * Refuses a body longer than `maxBytes` with ERR_PAYLOAD_TOO_LARGE (`hono/body-limit`), before
 * the handler reads it. On @hono/node-server, for a body not yet read whose length is announced,
 * the header check (all that `bodyLimit` does then) is made here, since `bodyLimit` would turn
 * the Node.js stream into a web stream only to ask whether there is a body; `readJson` reads
 * the Node.js request directly and enforces the limit while reading, too.
 */
export function limitBody(maxBytes: number): MiddlewareHandler {
  const limited = bodyLimit({
    maxSize: maxBytes,
    onError: () => {
      throw tooLarge(maxBytes);
    },
  });
  return async (c, next) => {
    const announced = c.req.header('content-length');
    if (announced !== undefined && !c.req.header('transfer-encoding') && unreadIncoming(c)) {
      if (Number(announced) > maxBytes) throw tooLarge(maxBytes);
      return next();
    }
    return limited(c, next);
  };
}

/** Reads a Node.js request body, stopping (and leaving the rest unread) past `maxBytes`. */
function readIncoming(incoming: IncomingMessage, maxBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (error: ClearanceError | undefined) => {
      incoming.off('data', onData).off('end', onEnd).off('error', onError).off('close', onClose);
      if (error) {
        incoming.pause();
        reject(error);
      } else {
        resolve(Buffer.concat(chunks, size));
      }
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) finish(tooLarge(maxBytes));
      else chunks.push(chunk);
    };
    const onEnd = () => finish(undefined);
    const onError = () =>
      finish(new ClearanceError('ERR_BAD_REQUEST', 'the request body was cut off'));
    const onClose = () => {
      if (!incoming.readableEnded) onError();
    };
    incoming.on('data', onData).on('end', onEnd).on('error', onError).on('close', onClose);
  });
}

/** Reads a web request body, stopping past `maxBytes`. */
async function readStream(body: ReadableStream<Uint8Array>, maxBytes: number): Promise<Buffer> {
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return Buffer.concat(chunks, size);
    size += value.length;
    if (size > maxBytes) {
      await reader.cancel().catch(() => {});
      throw tooLarge(maxBytes);
    }
    chunks.push(value);
  }
}

/** The raw request body, refused with ERR_PAYLOAD_TOO_LARGE past `maxBytes` (announced or not). */
export async function readBody(c: Context, maxBytes: number): Promise<Buffer> {
  const announced = c.req.header('content-length');
  if (announced !== undefined && Number(announced) > maxBytes) throw tooLarge(maxBytes);
  const incoming = unreadIncoming(c);
  if (incoming) return readIncoming(incoming, maxBytes);
  const body = c.req.raw.body;
  return body ? readStream(body, maxBytes) : Buffer.alloc(0);
}

/**
 * The request body as parsed JSON, at most `maxBytes` long. A malformed body is
 * ERR_BAD_REQUEST; so is an empty one, unless an `empty` value is given for that case. A body
 * nested deeper than the JSON limits is ERR_INPUT_LIMIT, refused before it is parsed (the rest
 * of the limits, `assertJsonShape`, apply to every input of the service).
 */
export async function readJson(c: Context, maxBytes: number, empty?: unknown): Promise<unknown> {
  const text = new TextDecoder().decode(await readBody(c, maxBytes));
  if (text.trim() === '') {
    if (empty !== undefined) return empty;
    throw new ClearanceError('ERR_BAD_REQUEST', 'expected a JSON body');
  }
  assertJsonTextDepth(text);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new ClearanceError('ERR_BAD_REQUEST', 'the request body is not valid JSON');
  }
}
