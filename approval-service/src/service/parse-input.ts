import type { z } from 'zod';
import { ClearanceError } from '@clearance/client';
import { describeIssues } from '../config/zod-issues.js';
import { assertJsonShape } from './json-shape.js';

/**
 * Validates input against a strict schema; failures are ERR_VALIDATION naming the fields.
 * First the input must keep the JSON limits (depth, keys, lengths) and be valid Unicode.
 */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  assertJsonShape(value);
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const problems = describeIssues(parsed.error);
  throw new ClearanceError('ERR_VALIDATION', problems.slice(0, 5).join('; '), { problems });
}
