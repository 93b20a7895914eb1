import { describe, expect, it } from 'vitest';
import { ciIdTokenSource } from './ci-id-token.js';
import { isClearanceError } from './errors.js';

const github = {
  ACTIONS_ID_TOKEN_REQUEST_URL: 'https://runner.example/token?api-version=2.0',
  ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'runner-secret',
};

describe('ciIdTokenSource', () => {
  it('asks the GitHub Actions runner for a token of the audience, with its request token', async () => {
    const asked: { url: string; auth: string | null }[] = [];
    const fake: typeof fetch = (input, init) => {
      asked.push({
        url: String(input),
        auth: new Headers(init?.headers).get('authorization'),
      });
      return Promise.resolve(Response.json({ value: 'eyJ.gh.token' }));
    };
    const source = ciIdTokenSource(
      { ...github, CLEARANCE_OIDC_AUDIENCE: 'https://clearance.acme' },
      fake,
    );
    expect(await source?.()).toBe('eyJ.gh.token');
    expect(asked).toEqual([
      {
        url: 'https://runner.example/token?api-version=2.0&audience=https%3A%2F%2Fclearance.acme',
        auth: 'bearer runner-secret',
      },
    ]);
  });

  it('says what is missing when the runner gives no token', async () => {
    const fake: typeof fetch = () => Promise.resolve(new Response('no', { status: 403 }));
    const error = await ciIdTokenSource(github, fake)?.().catch((err: unknown) => err);
    expect(isClearanceError(error, 'ERR_BAD_RESPONSE')).toBe(true);
    expect(String((error as Error).message)).toContain('id-token: write');
  });

  it('reads the GitLab id_tokens variable, CLEARANCE_ID_TOKEN unless named otherwise', async () => {
    expect(await ciIdTokenSource({ GITLAB_CI: 'true', CLEARANCE_ID_TOKEN: 'eyJ.gl' })?.()).toBe(
      'eyJ.gl',
    );
    const named = {
      GITLAB_CI: 'true',
      CLEARANCE_ID_TOKEN_VARIABLE: 'MY_TOKEN',
      MY_TOKEN: 'eyJ.mine',
    };
    expect(await ciIdTokenSource(named)?.()).toBe('eyJ.mine');
  });

  it('is undefined outside both', () => {
    expect(ciIdTokenSource({})).toBeUndefined();
    expect(ciIdTokenSource({ CLEARANCE_ID_TOKEN: 'eyJ.not-in-gitlab' })).toBeUndefined();
  });
});
