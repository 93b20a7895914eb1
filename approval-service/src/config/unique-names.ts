import type { z } from 'zod';

/** A zod refinement step: every item of `items` (found at `listKey`) has a name of its own. */
export function refineUniqueNames(
  items: readonly { name: string }[],
  listKey: string,
  ctx: z.RefinementCtx,
): void {
  const seen = new Set<string>();
  items.forEach((item, i) => {
    if (seen.has(item.name)) {
      ctx.addIssue({
        code: 'custom',
        path: [listKey, i, 'name'],
        message: `expected a unique name; "${item.name}" is used twice`,
      });
    }
    seen.add(item.name);
  });
}
