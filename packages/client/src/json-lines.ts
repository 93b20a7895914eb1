/**
 * The media type under which the service sends JSON Lines (the API's `?format=jsonl` and the
 * console's exports): one JSON value per line, UTF-8.
 */
export const JSON_LINES_CONTENT_TYPE = 'application/jsonl; charset=utf-8';

/** Rows as JSON Lines: each row's JSON, then a newline. */
export function toJsonLines(rows: readonly unknown[]): string {
  return rows.map((row) => `${JSON.stringify(row)}\n`).join('');
}
