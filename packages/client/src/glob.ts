// Clearance's one glob language, for every pattern in its config: stacks (`org/project/stack`),
// policy names, Pulumi resource types (`aws:ec2/securityGroup:SecurityGroup`) and IAM actions.
// A name is read as segments separated by `/`, and a pattern matches the whole name:
// - `*` matches any run of characters within one segment, never a `/`: `*/*/prod` is the `prod`
//   stack of every project, `aws:rds/*` every type of the `rds` module, `aws:*` no AWS type
//   (they all have a `/`);
// - `**` matches any run of characters, `/` included: `acme/**` is every stack of `acme`,
//   `aws:**` every AWS type, `**` everything;
// - `?` matches one character other than `/`;
// - every other character matches itself (`.`, `+`, `(`, `[`, `{` and `!` mean nothing special).

export interface GlobOptions {
  /** Letters match regardless of case (IAM actions are case-insensitive). */
  ignoreCase?: boolean;
}

const maxCached = 1000;
const compiled = new Map<string, RegExp>();

function regExpSource(glob: string): string {
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
  return source;
}

/** The regular expression a glob stands for (see the module's rule). */
export function globToRegExp(glob: string, options: GlobOptions = {}): RegExp {
  const key = `${options.ignoreCase ? 'i' : 's'}${glob}`;
  let re = compiled.get(key);
  if (re) return re;
  re = new RegExp(`^${regExpSource(glob)}$`, options.ignoreCase ? 'is' : 's');
  // Patterns can come from the documents a policy reads: the cache must not grow without bound.
  if (compiled.size >= maxCached) compiled.clear();
  compiled.set(key, re);
  return re;
}

/** Whether `name` matches `glob` as a whole. */
export function matchesGlob(name: string, glob: string, options: GlobOptions = {}): boolean {
  return globToRegExp(glob, options).test(name);
}

/**
 * Whether two globs may match a common name, judged by reading each as a name the other must
 * match. It errs towards false: it misses overlaps where neither glob matches the other as
 * text, such as `*User` and `iam:*` (both match `iam:GetUser`).
 */
export function globsOverlap(a: string, b: string, options: GlobOptions = {}): boolean {
  return matchesGlob(a, b, options) || matchesGlob(b, a, options);
}

/** Whether a pattern can ever match an `org/project/stack` name (three segments, or `**`). */
export function isStackPattern(pattern: string): boolean {
  return pattern.includes('**') || pattern.split('/').length === 3;
}

/** Whether the stack (`org/project/stack`) matches any of the patterns. */
export function stackMatches(stack: string, patterns: readonly string[]): boolean {
  return patterns.some((p) => matchesGlob(stack, p));
}
