import { readProp } from '../../sensitive-rule.js';

/** One step of a property path: a property name or an array index. */
export type PathSegment = string | number;

/**
 * Parses `a.b[0].c` (names after dots, indexes in brackets, `["any name"]` for names with dots or
 * brackets). Throws an Error naming the position of the first mistake.
 */
export function parsePropertyPath(path: string): PathSegment[] {
  const segments: PathSegment[] = [];
  let i = 0;
  const fail = (what: string): never => {
    throw new Error(`${what} at position ${i} of "${path}"`);
  };
  const readName = (): void => {
    const start = i;
    while (i < path.length && !'.[]'.includes(path[i] as string)) i++;
    if (i === start) fail('expected a property name');
    segments.push(path.slice(start, i));
  };
  const readBracket = (): void => {
    i++;
    const index = /^\d+/.exec(path.slice(i))?.[0];
    const quote = path[i];
    if (index !== undefined) {
      segments.push(Number(index));
      i += index.length;
    } else if (quote === '"' || quote === "'") {
      const end = path.indexOf(quote, i + 1);
      if (end < 0) fail('unterminated quoted name');
      segments.push(path.slice(i + 1, end));
      i = end + 1;
    } else fail('expected an index or a quoted name inside []');
    if (path[i] !== ']') fail("expected ']'");
    i++;
  };
  if (path[0] === '[') readBracket();
  else readName();
  while (i < path.length) {
    if (path[i] === '.') {
      i++;
      readName();
    } else if (path[i] === '[') readBracket();
    else fail(`unexpected '${path[i]}'`);
  }
  return segments;
}

/** The value at a parsed path; an unknown value on the way reads as UNKNOWN, a missing one as undefined. */
export function readPath(value: unknown, path: readonly PathSegment[]): unknown {
  let current = value;
  for (const segment of path) current = readProp(current, segment);
  return current;
}
