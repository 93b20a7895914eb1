import type { Context } from 'hono';

/** A JSON Lines download: one JSON value per line, UTF-8. */
export function jsonLines(c: Context, filename: string, rows: unknown[]): Response {
  const body = rows.map((row) => `${JSON.stringify(row)}\n`).join('');
  c.header('Content-Type', 'application/x-ndjson; charset=utf-8');
  c.header('Content-Disposition', `attachment; filename="${filename}"`);
  c.header('Cache-Control', 'no-store');
  return c.body(body, 200);
}
