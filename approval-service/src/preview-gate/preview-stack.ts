import { ClearanceError, parseUrn } from '@clearance/client';
import type { PreviewDigest } from './preview-digest.js';

/**
 * The `org/project/stack` a preview is of: the project and stack from its steps' URNs (a URN
 * names them, not the org), the org as given. Undefined when the preview has no step; throws
 * ERR_VALIDATION when its steps belong to more than one stack.
 */
export function previewStack(digest: PreviewDigest, org: string): string | undefined {
  const named = new Set<string>();
  for (const step of digest.steps ?? []) {
    const { project, stack } = parseUrn(step.urn);
    named.add(`${project}/${stack}`);
  }
  if (named.size > 1) {
    throw new ClearanceError(
      'ERR_VALIDATION',
      `the preview's steps belong to several stacks (${[...named].sort().join(', ')})`,
    );
  }
  const [only] = named;
  return only === undefined ? undefined : `${org}/${only}`;
}
