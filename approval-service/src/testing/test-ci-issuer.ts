import { exportJWK, generateKeyPair, SignJWT, type JWTPayload } from 'jose';
import { serveOnLoopback } from './test-server.js';

/** How one test token departs from a valid one. */
export interface CiTokenOptions {
  /** Claims to add or replace (`repository`, `ref`, `actor`...). */
  claims?: JWTPayload;
  audience?: string;
  /** Seconds from now; negative for a token that has expired. */
  expiresInSeconds?: number;
  /** An unsigned token (`alg: none`), as an attacker would send it. */
  unsigned?: boolean;
}

/** A local OIDC issuer for CI tokens: serves a JWKS and signs tokens shaped like GitHub's and GitLab's. */
export interface TestCiIssuer {
  /** The issuer URL (`iss`) and the base of its JWKS paths. */
  url: string;
  /** `${url}/.well-known/jwks`, GitHub's path. */
  jwksUri: string;
  /** How often the JWKS was fetched. */
  jwksHits(): number;
  github(options?: CiTokenOptions): Promise<string>;
  gitlab(options?: CiTokenOptions): Promise<string>;
  close(): Promise<void>;
}

const encode = (part: object): string => Buffer.from(JSON.stringify(part)).toString('base64url');

/** Starts the issuer on a free loopback port with a fresh RS256 key (`now` dates its tokens). */
export async function startTestCiIssuer(now: () => Date = () => new Date()): Promise<TestCiIssuer> {
  const { publicKey, privateKey } = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'ci-test-key', alg: 'RS256', use: 'sig' };
  let hits = 0;
  const server = await serveOnLoopback((request) => {
    const path = new URL(request.url).pathname;
    if (path === '/.well-known/jwks' || path === '/oauth/discovery/keys') {
      hits += 1;
      return Response.json({ keys: [jwk] });
    }
    return new Response('not found', { status: 404 });
  });
  const url = server.url;

  const sign = async (base: JWTPayload, options: CiTokenOptions): Promise<string> => {
    const iat = Math.floor(now().getTime() / 1000);
    const claims: JWTPayload = {
      ...base,
      iss: url,
      aud: options.audience ?? 'clearance',
      iat,
      nbf: iat,
      exp: iat + (options.expiresInSeconds ?? 300),
      ...options.claims,
    };
    if (options.unsigned) return `${encode({ alg: 'none', typ: 'JWT' })}.${encode(claims)}.`;
    return new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid: jwk.kid, typ: 'JWT' })
      .sign(privateKey);
  };

  return {
    url,
    jwksUri: `${url}/.well-known/jwks`,
    jwksHits: () => hits,
    github: (options = {}) =>
      sign(
        {
          sub: 'repo:acme/infra:ref:refs/heads/main',
          repository: 'acme/infra',
          repository_owner: 'acme',
          workflow: 'deploy',
          run_id: '4242',
          ref: 'refs/heads/main',
          sha: 'c0ffee0000000000000000000000000000000000',
          actor: 'alice-gh',
          event_name: 'push',
        },
        options,
      ),
    gitlab: (options = {}) =>
      sign(
        {
          sub: 'project_path:acme/infra:ref_type:branch:ref:main',
          namespace_path: 'acme',
          project_path: 'acme/infra',
          pipeline_id: '777',
          pipeline_source: 'push',
          ref: 'main',
          ref_type: 'branch',
          sha: 'beef000000000000000000000000000000000000',
          user_login: 'bob',
        },
        options,
      ),
    close: () => server.close(),
  };
}
