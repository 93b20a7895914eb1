import { z } from 'zod';
import { envNames } from './env-names.js';
import { ClearanceError } from './errors.js';

/** The audience asked for when the environment names none. */
export const DEFAULT_CI_AUDIENCE = 'clearance';
/** The GitLab `id_tokens` variable read when the environment names none. */
export const DEFAULT_GITLAB_ID_TOKEN_VARIABLE = 'CLEARANCE_ID_TOKEN';

const githubAnswer = z.object({ value: z.string().min(1) });

/**
 * Where this run gets the CI OIDC ID token it authenticates with, when it has no API token
 *: in GitHub Actions (with `permissions: id-token: write`) it asks the runner's
 * endpoint (`ACTIONS_ID_TOKEN_REQUEST_URL`, `ACTIONS_ID_TOKEN_REQUEST_TOKEN`) for the audience
 * `CLEARANCE_OIDC_AUDIENCE`; in GitLab CI it reads the `id_tokens` variable
 * `CLEARANCE_ID_TOKEN_VARIABLE` names (default CLEARANCE_ID_TOKEN). Undefined outside both.
 */
export function ciIdTokenSource(
  env: Readonly<Record<string, string | undefined>>,
  fetchImpl: typeof fetch = fetch,
): (() => Promise<string>) | undefined {
  const audience = env[envNames.oidcAudience]?.trim() || DEFAULT_CI_AUDIENCE;
  const requestUrl = env[envNames.githubIdTokenUrl]?.trim();
  const requestToken = env[envNames.githubIdTokenToken]?.trim();
  if (requestUrl && requestToken) {
    return async () => {
      const url = new URL(requestUrl);
      url.searchParams.set('audience', audience);
      let res: Response;
      try {
        res = await fetchImpl(url, { headers: { authorization: `bearer ${requestToken}` } });
      } catch (err) {
        throw new ClearanceError(
          'ERR_UNREACHABLE',
          `the GitHub Actions ID token endpoint is unreachable: ${err instanceof Error ? err.message : String(err)}`,
        );
      }
      const parsed = githubAnswer.safeParse(res.ok ? await res.json().catch(() => null) : null);
      if (!parsed.success) {
        throw new ClearanceError(
          'ERR_BAD_RESPONSE',
          `the GitHub Actions ID token endpoint answered ${res.status} without a token (does the job have permissions: id-token: write?)`,
        );
      }
      return parsed.data.value;
    };
  }
  const variable = env[envNames.gitlabIdTokenVariable]?.trim() || DEFAULT_GITLAB_ID_TOKEN_VARIABLE;
  const gitlabToken = env[variable]?.trim();
  if (env.GITLAB_CI && gitlabToken) return () => Promise.resolve(gitlabToken);
  return undefined;
}
