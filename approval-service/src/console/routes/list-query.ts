import type { Context } from 'hono';
import { z } from 'zod';
import type { RequestStatus } from '@clearance/client';
import { historyStatuses } from '../views/history-page.js';

/** An optional query value: empty means "no filter". */
export const optionalText = z
  .string()
  .max(400)
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

const listQuerySchema = z.object({
  stack: optionalText,
  policy: optionalText,
  status: z
    .enum(historyStatuses as [RequestStatus, ...RequestStatus[]])
    .or(z.literal(''))
    .optional()
    .transform((v) => (v === '' ? undefined : v)),
  format: z.enum(['html', 'jsonl']).optional(),
  /** Where the page starts: a store offset, the `next` of the page before. */
  from: z
    .string()
    .regex(/^\d{1,15}$/)
    .transform(Number)
    .optional(),
});
export type ListQuery = z.infer<typeof listQuerySchema>;

/** The filters of a request list; undefined when they do not parse. */
export function listQuery(c: Context): ListQuery | undefined {
  const parsed = listQuerySchema.safeParse(c.req.query());
  return parsed.success ? parsed.data : undefined;
}

/** Sorted distinct values, plus the current filter value so the select can show it. */
export function choices(values: string[], current?: string): string[] {
  const set = new Set(values);
  if (current) set.add(current);
  return [...set].sort();
}

/** `path` with the values that are set as its query string. */
export function hrefOf(path: string, values: Record<string, string | number | undefined>): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(values)) {
    if (value !== undefined) query.set(key, String(value));
  }
  const text = query.toString();
  return text === '' ? path : `${path}?${text}`;
}

/** The filter values that are set, as a query string for the JSON Lines export of the same list. */
export function exportHref(
  path: string,
  values: Record<string, string | number | undefined>,
): string {
  const { format: _format, from: _from, ...filters } = values;
  return hrefOf(path, { ...filters, format: 'jsonl' });
}
