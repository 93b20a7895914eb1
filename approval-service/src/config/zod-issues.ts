import type { z } from 'zod';

/** `rules[0].approverGroups[1]` style path of a zod issue. */
export function issuePath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out;
}

function joinPath(base: string, key: string): string {
  return base === '' ? key : `${base}.${key}`;
}

/** One readable line per problem: where, and what was expected. */
export function describeIssues(error: z.core.$ZodError): string[] {
  return error.issues.map((issue) => {
    const where = issuePath(issue.path);
    if (issue.code === 'unrecognized_keys') {
      const keys = issue.keys.map((k) => joinPath(where, k)).join(', ');
      return `${keys}: unknown field${issue.keys.length > 1 ? 's' : ''}`;
    }
    const message = issue.message.replace(/^Invalid input: /, '');
    return where === '' ? message : `${where}: ${message}`;
  });
}
