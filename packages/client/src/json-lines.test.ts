import { describe, expect, it } from 'vitest';
import { JSON_LINES_CONTENT_TYPE, toJsonLines } from './json-lines.js';

describe('JSON Lines', () => {
  it('go out as application/jsonl in UTF-8', () => {
    expect(JSON_LINES_CONTENT_TYPE).toBe('application/jsonl; charset=utf-8');
  });

  it('write each row as one line of JSON, each line ending with a newline', () => {
    expect(toJsonLines([{ a: 1 }, 'two\nlines', null])).toBe('{"a":1}\n"two\\nlines"\nnull\n');
    expect(toJsonLines([])).toBe('');
  });
});
