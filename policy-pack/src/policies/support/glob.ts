const cache = new Map<string, RegExp>();

/**
 * Compiles a glob where `*` matches any run of characters (including `:` and `/`) and `?` one
 * character; everything else matches itself.
 */
export function globToRegExp(glob: string, ignoreCase = false): RegExp {
  const key = `${ignoreCase ? 'i' : 's'}${glob}`;
  let re = cache.get(key);
  if (re) return re;
  const source = glob
    .split('')
    .map((ch) => (ch === '*' ? '.*' : ch === '?' ? '.' : ch.replace(/[\\^$.|+()[\]{}]/g, '\\$&')))
    .join('');
  re = new RegExp(`^${source}$`, ignoreCase ? 'is' : 's');
  if (cache.size > 1000) cache.clear();
  cache.set(key, re);
  return re;
}

export function matchesGlob(text: string, glob: string, ignoreCase = false): boolean {
  return globToRegExp(glob, ignoreCase).test(text);
}

/**
 * Whether two globs may match a common text. Errs towards true: when neither glob matches the
 * other as text it answers false, which misses some overlaps such as `*User` and `iam:*`.
 */
export function globsOverlap(a: string, b: string, ignoreCase = false): boolean {
  return matchesGlob(a, b, ignoreCase) || matchesGlob(b, a, ignoreCase);
}
