const cache = new Map<string, RegExp>();

/**
 * Compiles a glob on slash-separated names: `*` matches within one segment, `**` matches
 * anything (slashes included); every other character matches itself.
 */
export function globToRegExp(glob: string): RegExp {
  let re = cache.get(glob);
  if (re) return re;
  let source = '';
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i] as string;
    if (ch === '*' && glob[i + 1] === '*') {
      source += '.*';
      i++;
    } else if (ch === '*') {
      source += '[^/]*';
    } else {
      source += ch.replace(/[\\^$.|?+()[\]{}]/g, '\\$&');
    }
  }
  re = new RegExp(`^${source}$`, 's');
  cache.set(glob, re);
  return re;
}

/** Whether `name` matches `glob` (see globToRegExp). */
export function matchesGlob(name: string, glob: string): boolean {
  return globToRegExp(glob).test(name);
}
