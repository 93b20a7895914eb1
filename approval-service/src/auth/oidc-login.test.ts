import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock, isClearanceError } from '@clearance/client';
import type { CustomFetch } from 'openid-client';
import { oidcSchema } from '../config/oidc-schema.js';
import { CookieAgent, signInAtTestIdp, startTestIdp, type TestIdp } from '../testing/test-idp.js';
import { createOidcSignIn, type OidcSignIn } from './oidc-login.js';

const redirectUri = 'http://localhost:8080/login/oidc/callback';
const postLogoutRedirectUri = 'http://localhost:8080/login?bye=1';
const client = {
  clientId: 'clearance',
  clientSecret: 'test-client-secret-0123456789',
  redirectUris: [redirectUri],
  postLogoutRedirectUris: [postLogoutRedirectUri],
};
const users = [
  { login: 'dana', name: 'Dana (platform lead)', groups: ['platform-leads', 'staff'] },
  { login: 'eve', name: 'Eve (sales)', groups: ['sales'] },
];
const idTokenTtlSeconds = 120;

let idp: TestIdp;
let other: TestIdp;

beforeAll(async () => {
  idp = await startTestIdp(users, { idTokenTtlSeconds });
  idp.register(client);
  other = await startTestIdp(users);
  other.register(client);
});

afterAll(async () => {
  await idp.close();
  await other.close();
});

function signInFor(
  issuer: string,
  extra: { clock?: ManualClock; fetch?: CustomFetch } = {},
): { oidc: OidcSignIn; clock: ManualClock } {
  const clock = extra.clock ?? new ManualClock(new Date());
  const config = oidcSchema.parse({
    issuer,
    clientId: client.clientId,
    clientSecretEnv: 'UNUSED_HERE',
    scopes: ['openid', 'profile'],
    groupMap: { 'platform-leads': ['managers'] },
  });
  const oidc = createOidcSignIn({
    config,
    redirectUri,
    postLogoutRedirectUri,
    clientSecret: client.clientSecret,
    clock,
    fetch: extra.fetch,
  });
  return { oidc, clock };
}

/** The refusal `finish` (or `begin`) ends in: its code and one-line message. */
async function refusal(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await promise;
  } catch (err) {
    if (isClearanceError(err)) return { code: err.code, message: err.message };
    throw err;
  }
  throw new Error('expected a refusal');
}

describe('OpenID Connect sign-in against a real provider', () => {
  it('sends the browser with PKCE, state and nonce, and maps the ID token to a user', async () => {
    const { oidc } = signInFor(idp.issuer);
    const { id, url } = await oidc.begin('/requests/r1');
    const params = new URL(url).searchParams;
    expect(params.get('code_challenge_method')).toBe('S256');
    expect(params.get('state')).toMatch(/^[\w-]{40,}$/);
    expect(params.get('nonce')).toMatch(/^[\w-]{40,}$/);
    expect(params.get('redirect_uri')).toBe(redirectUri);
    const callback = await signInAtTestIdp(new CookieAgent(), url, 'dana');
    const signedIn = await oidc.finish(id, callback.searchParams);
    expect(signedIn.actor).toEqual({
      id: 'dana',
      displayName: 'Dana (platform lead)',
      groups: ['managers'],
    });
    expect(signedIn.next).toBe('/requests/r1');
    expect(signedIn.idToken.split('.')).toHaveLength(3);
  });

  it('signs in a user outside every mapped group with no Clearance group', async () => {
    const { oidc } = signInFor(idp.issuer);
    const { id, url } = await oidc.begin('/');
    const callback = await signInAtTestIdp(new CookieAgent(), url, 'eve');
    expect((await oidc.finish(id, callback.searchParams)).actor.groups).toEqual([]);
  });

  it('refuses a tampered state', async () => {
    const { oidc } = signInFor(idp.issuer);
    const { id, url } = await oidc.begin('/');
    const callback = await signInAtTestIdp(new CookieAgent(), url, 'dana');
    callback.searchParams.set('state', `${callback.searchParams.get('state')}x`);
    const refused = await refusal(oidc.finish(id, callback.searchParams));
    expect(refused.code).toBe('ERR_UNAUTHENTICATED');
    expect(refused.message).toBe('Sign-in refused: unexpected "state" response parameter value.');
  });

  it('refuses a sign-in the IdP turned down, naming its error', async () => {
    const { oidc } = signInFor(idp.issuer);
    const { id, url } = await oidc.begin('/');
    const state = new URL(url).searchParams.get('state') ?? '';
    const denied = new URLSearchParams({ error: 'access_denied', state, iss: idp.issuer });
    expect(await refusal(oidc.finish(id, denied))).toEqual({
      code: 'ERR_UNAUTHENTICATED',
      message: 'Sign-in refused: the identity provider answered access_denied.',
    });
  });

  it('refuses a replayed callback, and the same code under a new sign-in', async () => {
    const { oidc } = signInFor(idp.issuer);
    const { id, url } = await oidc.begin('/');
    const callback = await signInAtTestIdp(new CookieAgent(), url, 'dana');
    await oidc.finish(id, callback.searchParams);
    const again = await refusal(oidc.finish(id, callback.searchParams));
    expect(again.message).toBe(
      'This sign-in is unknown, expired or already used. Start again from the sign-in page.',
    );
    const fresh = await oidc.begin('/');
    const replay = new URLSearchParams(callback.searchParams);
    replay.set('state', new URL(fresh.url).searchParams.get('state') ?? '');
    const refused = await refusal(oidc.finish(fresh.id, replay));
    expect(refused).toEqual({
      code: 'ERR_UNAUTHENTICATED',
      message: 'Sign-in refused: the identity provider answered invalid_grant.',
    });
  });

  it('refuses an ID token with another nonce than the one sent', async () => {
    const { oidc } = signInFor(idp.issuer);
    const { id, url } = await oidc.begin('/');
    const altered = new URL(url);
    altered.searchParams.set('nonce', 'a-nonce-this-sign-in-never-sent');
    const callback = await signInAtTestIdp(new CookieAgent(), altered.href, 'dana');
    const refused = await refusal(oidc.finish(id, callback.searchParams));
    expect(refused.code).toBe('ERR_UNAUTHENTICATED');
    expect(refused.message).toBe('Sign-in refused: unexpected ID Token "nonce" claim value.');
  });

  it('refuses an ID token that has expired by the service clock', async () => {
    const { oidc, clock } = signInFor(idp.issuer);
    const { id, url } = await oidc.begin('/');
    const callback = await signInAtTestIdp(new CookieAgent(), url, 'dana');
    // Past the token's lifetime and openid-client's 30 s tolerance; the sign-in itself lasts 10 min.
    clock.advanceSeconds(idTokenTtlSeconds + 60);
    const refused = await refusal(oidc.finish(id, callback.searchParams));
    expect(refused.code).toBe('ERR_UNAUTHENTICATED');
    expect(refused.message).toMatch(
      /^Sign-in refused: unexpected JWT "exp" \(expiration time\) claim value/,
    );
  });

  it('refuses an answer from another issuer', async () => {
    const { oidc } = signInFor(idp.issuer);
    const { id, url } = await oidc.begin('/');
    const elsewhere = new URL(url);
    const at = new URL(other.issuer);
    elsewhere.host = at.host;
    const callback = await signInAtTestIdp(new CookieAgent(), elsewhere.href, 'dana');
    expect(callback.searchParams.get('iss')).toBe(other.issuer);
    const refused = await refusal(oidc.finish(id, callback.searchParams));
    expect(refused.code).toBe('ERR_UNAUTHENTICATED');
    expect(refused.message).toBe(
      'Sign-in refused: unexpected "iss" (issuer) response parameter value.',
    );
  });

  it('refuses an ID token whose signature does not verify against the IdP keys', async () => {
    const tamper: CustomFetch = async (url, init) => {
      const response = await fetch(url, init as RequestInit);
      if (!url.endsWith('/token')) return response;
      const body = (await response.json()) as { id_token: string };
      const [head, payload, signature = ''] = body.id_token.split('.');
      const flipped = `${signature.startsWith('A') ? 'B' : 'A'}${signature.slice(1)}`;
      body.id_token = `${head}.${payload}.${flipped}`;
      return Response.json(body, { status: response.status });
    };
    const { oidc } = signInFor(idp.issuer, { fetch: tamper });
    const { id, url } = await oidc.begin('/');
    const callback = await signInAtTestIdp(new CookieAgent(), url, 'dana');
    const refused = await refusal(oidc.finish(id, callback.searchParams));
    expect(refused.code).toBe('ERR_UNAUTHENTICATED');
    expect(refused.message).toBe('Sign-in refused: JWT signature verification failed.');
  });

  it('offers RP-initiated logout with the ID token as hint', async () => {
    const { oidc } = signInFor(idp.issuer);
    const logout = new URL((await oidc.logoutUrl('a.b.c')) ?? '');
    expect(logout.origin).toBe(idp.issuer);
    expect(logout.searchParams.get('id_token_hint')).toBe('a.b.c');
    expect(logout.searchParams.get('post_logout_redirect_uri')).toBe(postLogoutRedirectUri);
  });

  it('says the IdP cannot be reached when it is down, at the start or at the callback', async () => {
    const down = await startTestIdp(users);
    down.register(client);
    const late = signInFor(down.issuer).oidc;
    const { id, url } = await late.begin('/');
    const callback = await signInAtTestIdp(new CookieAgent(), url, 'dana');
    await down.close();
    const message = 'The identity provider cannot be reached. Try again later.';
    expect(await refusal(late.finish(id, callback.searchParams))).toEqual({
      code: 'ERR_UNREACHABLE',
      message,
    });
    expect(await refusal(signInFor(down.issuer).oidc.begin('/'))).toEqual({
      code: 'ERR_UNREACHABLE',
      message,
    });
  });
});
