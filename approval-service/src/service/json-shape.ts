import { ClearanceError, jsonLimits, type JsonLimits } from '@clearance/client';

/** A UTF-16 surrogate that is not half of a pair (the `u` flag reads pairs as one code point). */
const loneSurrogate = /\p{Cs}/u;

const MAX_PATH_SEGMENTS = 6;

function pathOf(path: readonly (string | number)[]): string {
  let out = '';
  for (const key of path.slice(0, MAX_PATH_SEGMENTS)) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? key : `.${key}`;
  }
  if (path.length > MAX_PATH_SEGMENTS) out += '…';
  return out === '' ? 'body' : out;
}

function overLimit(path: readonly (string | number)[], what: string): ClearanceError {
  return new ClearanceError('ERR_INPUT_LIMIT', `${pathOf(path)}: ${what}`);
}

function notUnicode(path: readonly (string | number)[], what: string): ClearanceError {
  return new ClearanceError(
    'ERR_VALIDATION',
    `${pathOf(path)}: ${what} is not valid Unicode (it holds a lone UTF-16 surrogate)`,
  );
}

function checkString(text: string, path: (string | number)[], what: string, max: number): void {
  if (text.length > max) throw overLimit(path, `${what} is longer than ${max} characters`);
  if (loneSurrogate.test(text)) throw notUnicode(path, what);
}

/** Walks `value`; `path` is one array, grown and shrunk on the way, read only for a message. */
function walk(value: unknown, path: (string | number)[], depth: number, limits: JsonLimits): void {
  if (typeof value === 'string') {
    checkString(value, path, 'the text', limits.maxStringLength);
    return;
  }
  if (value === null || typeof value !== 'object') return;
  if (depth >= limits.maxDepth) {
    throw overLimit(path, `objects and arrays nest deeper than ${limits.maxDepth} levels`);
  }
  if (Array.isArray(value)) {
    if (value.length > limits.maxArrayLength) {
      throw overLimit(path, `more than ${limits.maxArrayLength} elements`);
    }
    for (let i = 0; i < value.length; i++) {
      path.push(i);
      walk(value[i], path, depth + 1, limits);
      path.pop();
    }
    return;
  }
  const keys = Object.keys(value);
  if (keys.length > limits.maxKeys) throw overLimit(path, `more than ${limits.maxKeys} keys`);
  for (const key of keys) {
    checkString(key, path, 'a key', limits.maxStringLength);
    path.push(key);
    walk((value as Record<string, unknown>)[key], path, depth + 1, limits);
    path.pop();
  }
}

/**
 * Refuses input of a shape no caller needs and that would cost the service dearly to keep:
 * nested deeper than `maxDepth`, an object with more than `maxKeys` keys, a string or key
 * longer than `maxStringLength`, an array longer than `maxArrayLength` (ERR_INPUT_LIMIT); and
 * a string or key with a lone UTF-16 surrogate, which is no Unicode text (ERR_VALIDATION).
 */
export function assertJsonShape(value: unknown, limits: JsonLimits = jsonLimits): void {
  walk(value, [], 0, limits);
}

const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** Where the string opened at `open` ends (a quote no backslash escapes), or the text's end. */
function closingQuote(text: string, open: number): number {
  let at = open;
  for (;;) {
    at = text.indexOf('"', at + 1);
    if (at === -1) return text.length;
    let backslashes = 0;
    while (text.charCodeAt(at - 1 - backslashes) === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return at;
  }
}

/**
 * Refuses JSON text nested deeper than `maxDepth` before it is parsed, so that a body of
 * brackets costs a scan, not a parse. Text inside strings is skipped; the text need not be
 * valid JSON (the parse that follows judges that).
 */
export function assertJsonTextDepth(text: string, maxDepth: number = jsonLimits.maxDepth): void {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === QUOTE) {
      i = closingQuote(text, i);
    } else if (code === OPEN_BRACE || code === OPEN_BRACKET) {
      depth++;
      if (depth > maxDepth) {
        throw new ClearanceError(
          'ERR_INPUT_LIMIT',
          `body: objects and arrays nest deeper than ${maxDepth} levels`,
        );
      }
    } else if (code === CLOSE_BRACE || code === CLOSE_BRACKET) {
      depth--;
    }
  }
}
