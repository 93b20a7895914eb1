/**
 * `npx tsx examples/ci/comment/post-comment.ts github|gitlab FILE...`: puts the approval links in
 * the saved outputs FILE... on the pull or merge request, in one comment updated in place. Reads
 * STACK and, for GitHub, GH_TOKEN, GITHUB_REPOSITORY, PR and GITHUB_API_URL; for GitLab,
 * CLEARANCE_MR_NOTE_TOKEN, CI_API_V4_URL, CI_PROJECT_ID and CI_MERGE_REQUEST_IID.
 */
import { readFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { approvalLinks, upsertComment, type Forge } from './approval-comment.js';
import { githubForge, gitlabForge } from './forges.js';

type Env = Readonly<Record<string, string | undefined>>;

function need(env: Env, name: string): string {
  const value = env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

function forgeOf(kind: string | undefined, env: Env): Forge {
  if (kind === 'github') {
    return githubForge({
      apiUrl: env.GITHUB_API_URL ?? 'https://api.github.com',
      repository: need(env, 'GITHUB_REPOSITORY'),
      number: need(env, 'PR'),
      token: need(env, 'GH_TOKEN'),
    });
  }
  if (kind === 'gitlab') {
    return gitlabForge({
      apiUrl: need(env, 'CI_API_V4_URL'),
      projectId: need(env, 'CI_PROJECT_ID'),
      mergeRequestIid: need(env, 'CI_MERGE_REQUEST_IID'),
      token: need(env, 'CLEARANCE_MR_NOTE_TOKEN'),
    });
  }
  throw new Error('usage: post-comment.ts github|gitlab FILE...');
}

/** Runs the command; resolves with its exit code. */
export async function postComment(argv: readonly string[], env: Env): Promise<number> {
  const [kind, ...files] = argv;
  try {
    const forge = forgeOf(kind, env);
    const stack = need(env, 'STACK');
    const texts = await Promise.all(files.map((f) => readFile(f, 'utf8').catch(() => '')));
    const links = approvalLinks(texts.join('\n'));
    const action = await upsertComment(forge, stack, links);
    console.log(`${links.length} approval link(s) for ${stack}; comment ${action}`);
    return 0;
  } catch (err) {
    console.error(`post-comment: ${(err as Error).message}`);
    return 1;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await postComment(process.argv.slice(2), process.env);
}
