import type { Context } from 'hono';
import { ClearanceError } from '../client/index.js';

/**
 * The request body as parsed JSON. A malformed body is ERR_BAD_REQUEST; so is an empty one,
 * unless an `empty` value is given for that case.
 */
export async function readJson(c: Context, empty?: unknown): Promise<unknown> {
  const text = await c.req.text();
  if (text.trim() === '') {
    if (empty !== undefined) return empty;
    throw new ClearanceError('ERR_BAD_REQUEST', 'expected a JSON body');
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new ClearanceError('ERR_BAD_REQUEST', 'the request body is not valid JSON');
  }
}
