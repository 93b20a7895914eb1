/**
 * The pull request comment (GitHub) or merge request note (GitLab) that lists the approval links
 * of a preview: one comment per stack, found again by a hidden marker and updated in place, as
 * preview bots do, instead of a new one on every push.
 */

/** The approval links (`…/requests/<id>`) in the saved output of the pack and `gate-preview`. */
export function approvalLinks(output: string): string[] {
  const found = output.match(/https?:\/\/[^\s)"'`]+\/requests\/[A-Za-z0-9_-]+/g) ?? [];
  return [...new Set(found)].sort();
}

/** The hidden line that marks our comment for `stack`. */
export function commentMarker(stack: string): string {
  return `<!-- clearance-approvals: ${stack.replace(/-->/g, '')} -->`;
}

/** The comment's body: the links, or that nothing (any longer) needs an approval. */
export function commentBody(stack: string, links: readonly string[]): string {
  const lines = [commentMarker(stack)];
  if (links.length === 0) {
    lines.push(`### Clearance: no approval needed for \`${stack}\``);
  } else {
    lines.push(
      `### Clearance: approvals needed for \`${stack}\``,
      '',
      ...links.map((link) => `- ${link}`),
      '',
      'Approve them in the console; the deployment on the main branch waits for them.',
    );
  }
  return `${lines.join('\n')}\n`;
}

/** A comment as the forge lists it. */
export interface ForgeComment {
  id: number;
  body: string;
}

/** The comments of one pull or merge request, on GitHub or GitLab. */
export interface Forge {
  /** Every comment, all pages. */
  list(): Promise<ForgeComment[]>;
  create(body: string): Promise<void>;
  update(id: number, body: string): Promise<void>;
}

export type CommentAction = 'created' | 'updated' | 'unchanged' | 'none';

/**
 * Puts the links on the request: updates our comment when there is one (also to say that nothing
 * needs approval any more), creates it only when there are links to show.
 */
export async function upsertComment(
  forge: Forge,
  stack: string,
  links: readonly string[],
): Promise<CommentAction> {
  const marker = commentMarker(stack);
  const body = commentBody(stack, links);
  const ours = (await forge.list()).find((c) => c.body.includes(marker));
  if (ours) {
    if (ours.body.trim() === body.trim()) return 'unchanged';
    await forge.update(ours.id, body);
    return 'updated';
  }
  if (links.length === 0) return 'none';
  await forge.create(body);
  return 'created';
}
