const compiled = new Map<string, RegExp>();

/**
 * Compiles a glob on slash-separated names such as `org/project/stack`: `*` matches within one
 * segment, `**` matches across segments, `?` matches one character of a segment; anything else
 * matches itself. The service's rules and the pack's gate settings both use this language.
 */
export function globToRegExp(glob: string): RegExp {
  let re = compiled.get(glob);
  if (re) return re;
  let source = '';
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i] as string;
    if (ch === '*' && glob[i + 1] === '*') {
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
  compiled.set(glob, re);
  return re;
}

/** Whether `name` matches `glob` (see globToRegExp). */
export function matchesGlob(name: string, glob: string): boolean {
  return globToRegExp(glob).test(name);
}

/** Whether a pattern can ever match an `org/project/stack` name (three segments, or `**`). */
export function isStackPattern(pattern: string): boolean {
  return pattern.includes('**') || pattern.split('/').length === 3;
}

/** Whether the stack (`org/project/stack`) matches any of the patterns. */
export function stackMatches(stack: string, patterns: readonly string[]): boolean {
  return patterns.some((p) => matchesGlob(stack, p));
}
