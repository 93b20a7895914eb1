import { zValidator } from '@hono/zod-validator';
import type { z } from 'zod';
import { ClearanceError } from '@clearance/client';
import { describeIssues } from '../config/zod-issues.js';
import { assertJsonShape } from '../service/json-shape.js';

/**
 * Validates one part of the request at its route (`@hono/zod-validator`); the handler reads it
 * typed with `c.req.valid(target)`. The input must keep the JSON limits (depth, keys, lengths:
 * ERR_INPUT_LIMIT) and be valid Unicode, whether or not it matches the strict schema; then a
 * mismatch is ERR_VALIDATION naming the fields (the first five).
 */
export function validInput<T extends 'json' | 'query', S extends z.ZodType>(target: T, schema: S) {
  return zValidator(target, schema, (result) => {
    // On a mismatch `data` is the input as sent; on a match, what the schema made of it.
    assertJsonShape(result.data);
    if (result.success) return;
    const problems = describeIssues(result.error);
    throw new ClearanceError('ERR_VALIDATION', problems.slice(0, 5).join('; '), { problems });
  });
}
