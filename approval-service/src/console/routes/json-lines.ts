import type { Context } from 'hono';
import { JSON_LINES_CONTENT_TYPE, toJsonLines } from '@clearance/client';

/** A JSON Lines download, sent as the API sends JSON Lines. */
export function jsonLines(c: Context, filename: string, rows: unknown[]): Response {
  const body = toJsonLines(rows);
  c.header('Content-Type', JSON_LINES_CONTENT_TYPE);
  c.header('Content-Disposition', `attachment; filename="${filename}"`);
  c.header('Cache-Control', 'no-store');
  return c.body(body, 200);
}
