const compiled = new Map<string, RegExp>();

/**
 * Compiles a pattern on `org/project/stack`: `*` matches within one segment, `**` matches across
 * segments, `?` matches one character of a segment; anything else matches itself. The same
 * language the service uses for the stacks of its rules.
 */
export function stackPatternRegExp(pattern: string): RegExp {
  let re = compiled.get(pattern);
  if (re) return re;
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i] as string;
    if (ch === '*' && pattern[i + 1] === '*') {
      source += '.*';
      i++;
    } else if (ch === '*') {
      source += '[^/]*';
    } else if (ch === '?') {
      source += '[^/]';
    } else {
      source += ch.replace(/[\\^$.|+()[\]{}]/g, '\\$&');
    }
  }
  re = new RegExp(`^${source}$`, 's');
  compiled.set(pattern, re);
  return re;
}

/** Whether a pattern can ever match an `org/project/stack` name (three segments, or `**`). */
export function isStackPattern(pattern: string): boolean {
  return pattern.includes('**') || pattern.split('/').length === 3;
}

/** Whether the stack (`org/project/stack`) matches any of the patterns. */
export function stackMatches(stack: string, patterns: readonly string[]): boolean {
  return patterns.some((p) => stackPatternRegExp(p).test(stack));
}
