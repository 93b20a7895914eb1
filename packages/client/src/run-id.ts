import { envNames } from './env-names.js';
import { ClearanceError } from './errors.js';

/** What a run id may hold: the API takes up to 200 characters; no spaces, so it prints as one word. */
const runIdPattern = /^[A-Za-z0-9._:@/+-]{1,200}$/;

/**
 * The id of the CI run the environment describes, for the pack and `gate-preview` to tag their
 * requests with, so that `clearance wait --run` waits on exactly those: `CLEARANCE_RUN_ID`,
 * else GitHub Actions' run id and attempt (`gh-<run>-<attempt>`), else GitLab's pipeline id
 * (`gl-<pipeline>`). Undefined outside CI: the caller generates one. Throws ERR_CONFIG when
 * `CLEARANCE_RUN_ID` cannot be a run id.
 */
export function runIdFromEnv(
  env: Readonly<Record<string, string | undefined>>,
): string | undefined {
  const given = env[envNames.runId]?.trim();
  if (given) {
    if (!runIdPattern.test(given)) {
      throw new ClearanceError(
        'ERR_CONFIG',
        `${envNames.runId} must be one word of up to 200 letters, digits and ._:@/+- characters`,
      );
    }
    return given;
  }
  const github = env.GITHUB_RUN_ID?.trim();
  if (github && /^\d+$/.test(github)) {
    const attempt = env.GITHUB_RUN_ATTEMPT?.trim();
    return `gh-${github}-${attempt && /^\d+$/.test(attempt) ? attempt : '1'}`;
  }
  const gitlab = env.CI_PIPELINE_ID?.trim();
  if (gitlab && /^\d+$/.test(gitlab)) return `gl-${gitlab}`;
  return undefined;
}

/** The line the pack and `gate-preview` print to name their run; `runIdsIn` reads it back. */
export function runLine(runId: string): string {
  return `Clearance run ${runId}: \`clearance wait --run ${runId}\` waits on its requests.`;
}

/** The run ids that `runLine` lines in a saved output name, each once, in order. */
export function runIdsIn(text: string): string[] {
  const found = [...text.matchAll(/\bClearance run ([A-Za-z0-9._:@/+-]{1,200}):/g)];
  return [...new Set(found.map((m) => m[1] as string))];
}
