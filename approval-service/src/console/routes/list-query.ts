import type { Context } from 'hono';
import { z } from 'zod';
import type { RequestStatus, RequestView } from '@clearance/client';
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

export function newestFirst(a: RequestView, b: RequestView): number {
  return Date.parse(b.createdAt) - Date.parse(a.createdAt);
}

export function matches(r: RequestView, q: ListQuery): boolean {
  return (
    (q.stack === undefined || r.stack === q.stack) &&
    (q.policy === undefined || r.policy === q.policy) &&
    (q.status === undefined || r.status === q.status)
  );
}

/** The filter values that are set, as a query string for the JSON Lines export of the same list. */
export function exportHref(path: string, values: Record<string, string | undefined>): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(values)) {
    if (value !== undefined && key !== 'format') query.set(key, value);
  }
  query.set('format', 'jsonl');
  return `${path}?${query.toString()}`;
}
