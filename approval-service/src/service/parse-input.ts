import type { z } from 'zod';
import { ClearanceError } from '../client/index.js';
import { describeIssues } from '../config/zod-issues.js';

/** Validates input against a strict schema; failures are ERR_VALIDATION naming the fields. */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const problems = describeIssues(parsed.error);
  throw new ClearanceError('ERR_VALIDATION', problems.slice(0, 5).join('; '), { problems });
}
