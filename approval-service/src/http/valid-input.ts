import type { Env, MiddlewareHandler } from 'hono';
import { zValidator } from '@hono/zod-validator';
import type { z } from 'zod';
import { ClearanceError } from '@clearance/client';
import { describeIssues } from '../config/zod-issues.js';
import { assertJsonShape } from '../service/json-shape.js';
import { jsonBodyOf } from './json-body.js';

/** What a route validated: the handler reads `out` typed with `c.req.valid(target)`. */
type Validated<T extends 'json' | 'query', S extends z.ZodType> = {
  in: { [K in T]: z.input<S> };
  out: { [K in T]: z.output<S> };
};

/** The input kept the JSON limits; then a mismatch is ERR_VALIDATION naming the fields. */
function judge(
  result:
    { success: true; data: unknown } | { success: false; data: unknown; error: z.core.$ZodError },
): void {
  // On a mismatch `data` is the input as sent; on a match, what the schema made of it.
  assertJsonShape(result.data);
  if (result.success) return;
  const problems = describeIssues(result.error);
  throw new ClearanceError('ERR_VALIDATION', problems.slice(0, 5).join('; '), { problems });
}

/**
 * Validates one part of the request at its route; the handler reads it typed with
 * `c.req.valid(target)`. The input must keep the JSON limits (depth, keys, lengths:
 * ERR_INPUT_LIMIT) and be valid Unicode, whether or not it matches the strict schema; then a
 * mismatch is ERR_VALIDATION naming the fields (the first five). A JSON body is the value
 * `jsonBody` parsed, not parsed again; a query goes through `@hono/zod-validator`. `plain`, for
 * a large body, gives the schema's answer for a body it accepts more cheaply than the schema
 * (undefined when unsure: the schema then runs and names what is wrong).
 */
export function validInput<
  T extends 'json' | 'query',
  S extends z.ZodType,
  E extends Env = Env,
  P extends string = string,
>(
  target: T,
  schema: S,
  options: { plain?: (input: unknown) => z.output<S> | undefined } = {},
): MiddlewareHandler<E, P, Validated<T, S>> {
  if (target === 'query') {
    return zValidator('query', schema, judge) as unknown as MiddlewareHandler<
      E,
      P,
      Validated<T, S>
    >;
  }
  return async (c, next) => {
    const input = await jsonBodyOf(c);
    const plain = options.plain?.(input);
    const result =
      plain === undefined ? schema.safeParse(input) : { success: true as const, data: plain };
    if (result.success) {
      judge({ success: true, data: result.data });
      c.req.addValidatedData('json', result.data as object);
    } else {
      judge({ success: false, data: input, error: result.error });
    }
    await next();
  };
}
