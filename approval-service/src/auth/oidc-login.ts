import * as oidc from 'openid-client';
import { ClearanceError, type Clock } from '@clearance/client';
import type { OidcConfig } from '../config/oidc-schema.js';
import type { Actor } from '../domain/model.js';
import { actorFromClaims, lacksUserClaims } from './oidc-claims.js';
import {
  newSignInId,
  PendingSignIns,
  SIGN_IN_TTL_MS,
  signInFromRecord,
  type PendingSignIn,
  type SignInRecords,
} from './oidc-flows.js';

/** A finished sign-in: who it is, the ID token (for RP-initiated logout) and where to go. */
export interface SignedIn {
  actor: Actor;
  idToken: string;
  next: string;
}

/**
 * Console sign-in through an OpenID Connect provider: the only part that talks to it. Every
 * failure is a ClearanceError with a one-line message fit for a page: ERR_UNREACHABLE when the
 * provider cannot be reached, ERR_UNAUTHENTICATED for anything refused.
 */
export interface OidcSignIn {
  readonly buttonLabel: string;
  /** Whether local passwords still sign in. */
  readonly localPasswords: boolean;
  /** Starts a sign-in: where to send the browser, and the id its short-lived cookie keeps. */
  begin(next: string): Promise<{ id: string; url: string }>;
  /** Finishes the sign-in `id` from the query the IdP sent back; each id works once. */
  finish(id: string | undefined, query: URLSearchParams): Promise<SignedIn>;
  /** The IdP's end-session URL (RP-initiated logout), when it offers one. */
  logoutUrl(idToken: string | undefined): Promise<string | undefined>;
}

export interface OidcSignInOptions {
  config: OidcConfig;
  /** Where the IdP sends the browser back: `<publicUrl>/login/oidc/callback`. */
  redirectUri: string;
  /** Where the IdP sends the browser after RP-initiated logout: `<publicUrl>/login?bye=1`. */
  postLogoutRedirectUri: string;
  /** The client secret (read from `clientSecretEnv`), if any. */
  clientSecret: string | undefined;
  clock: Clock;
  /** Replaces fetch for the calls to the IdP (tests put a tampering network in between). */
  fetch?: oidc.CustomFetch | undefined;
  /** Where the reasons of refused sign-ins are logged (no token or secret in them). */
  log?: (line: string) => void;
  /** The store's record of sign-ins under way (PostgreSQL, shared by replicas); else memory. */
  records?: SignInRecords | undefined;
}

const unreachable = 'The identity provider cannot be reached. Try again later.';

/** One line from an error of openid-client, naming the check that failed when there is one. */
function reasonOf(err: unknown): string {
  if (err instanceof oidc.AuthorizationResponseError || err instanceof oidc.ResponseBodyError) {
    return `the identity provider answered ${err.error}`;
  }
  if (!(err instanceof Error)) return 'unexpected failure';
  // openid-client wraps the specific check (`unexpected ID Token "nonce" claim value`).
  const specific = err.cause instanceof Error ? err.cause.message : err.message;
  return specific.replace(/\s+/g, ' ').slice(0, 300);
}

/** Whether the error is the network's (refused, reset, timed out) rather than a refusal. */
function isNetworkError(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  if (err.name === 'TimeoutError' || err.name === 'AbortError') return true;
  return err instanceof TypeError && !(err instanceof oidc.ClientError);
}

/** Builds the sign-in over openid-client. The IdP's metadata is read at the first use, then kept. */
export function createOidcSignIn(options: OidcSignInOptions): OidcSignIn {
  const { config, clock, redirectUri } = options;
  const log = options.log ?? (() => undefined);
  const insecure = new URL(config.issuer).protocol === 'http:';
  const pending = new PendingSignIns(clock);
  const { records } = options;

  /** Keeps a sign-in under way, in the store when it has room for them. */
  const keep = async (signIn: PendingSignIn): Promise<string> => {
    if (!records) return pending.add(signIn);
    const id = newSignInId();
    const now = clock.now().getTime();
    await records.add(id, signIn, now + SIGN_IN_TTL_MS, now);
    return id;
  };
  const take = async (id: string | undefined): Promise<PendingSignIn | undefined> => {
    if (!records) return pending.take(id);
    if (id === undefined) return undefined;
    return signInFromRecord(await records.take(id, clock.now().getTime()));
  };
  let metadata: Promise<oidc.ServerMetadata> | undefined;
  let jwksCache: oidc.ExportedJWKSCache | undefined;

  const discover = (): Promise<oidc.ServerMetadata> => {
    metadata ??= oidc
      .discovery(new URL(config.issuer), config.clientId, undefined, oidc.None(), {
        execute: insecure ? [oidc.allowInsecureRequests] : [],
        timeout: 10,
        ...(options.fetch ? { [oidc.customFetch]: options.fetch } : {}),
      })
      .then((c) => ({ ...c.serverMetadata() }));
    metadata.catch(() => {
      metadata = undefined;
    });
    return metadata;
  };

  /** A configuration whose clock is the service's (so expiry is judged by the injected clock). */
  const configuration = async (): Promise<oidc.Configuration> => {
    const server = await discover();
    const methods = server.token_endpoint_auth_methods_supported;
    const secret = options.clientSecret;
    const auth =
      secret === undefined
        ? oidc.None()
        : methods === undefined || methods.includes('client_secret_basic')
          ? oidc.ClientSecretBasic(secret)
          : oidc.ClientSecretPost(secret);
    const skew = Math.round((clock.now().getTime() - Date.now()) / 1000);
    const c = new oidc.Configuration(server, config.clientId, { [oidc.clockSkew]: skew }, auth);
    c.timeout = 10;
    if (options.fetch) c[oidc.customFetch] = options.fetch;
    if (insecure) oidc.allowInsecureRequests(c);
    // ID tokens are checked against the IdP's JWKS too, not only trusted for coming over TLS.
    oidc.enableNonRepudiationChecks(c);
    if (jwksCache) oidc.setJwksCache(c, jwksCache);
    return c;
  };

  const failing = (err: unknown, stage: string): never => {
    if (err instanceof ClearanceError) throw err;
    if (isNetworkError(err)) {
      log(`oidc: ${stage}: the identity provider cannot be reached (${reasonOf(err)})`);
      throw new ClearanceError('ERR_UNREACHABLE', unreachable);
    }
    const reason = reasonOf(err);
    log(`oidc: ${stage}: refused: ${reason}`);
    throw new ClearanceError('ERR_UNAUTHENTICATED', `Sign-in refused: ${reason}.`);
  };

  return {
    buttonLabel: config.buttonLabel,
    localPasswords: config.localPasswords,

    async begin(next) {
      try {
        const c = await configuration();
        const codeVerifier = oidc.randomPKCECodeVerifier();
        const state = oidc.randomState();
        const nonce = oidc.randomNonce();
        const url = oidc.buildAuthorizationUrl(c, {
          redirect_uri: redirectUri,
          scope: config.scopes.join(' '),
          code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
          code_challenge_method: 'S256',
          state,
          nonce,
        });
        return { id: await keep({ state, nonce, codeVerifier, next }), url: url.href };
      } catch (err) {
        return failing(err, 'start');
      }
    },

    async finish(id, query) {
      const signIn = await take(id);
      if (!signIn) {
        throw new ClearanceError(
          'ERR_UNAUTHENTICATED',
          'This sign-in is unknown, expired or already used. Start again from the sign-in page.',
        );
      }
      try {
        const c = await configuration();
        const callback = new URL(redirectUri);
        callback.search = query.toString();
        const tokens = await oidc.authorizationCodeGrant(c, callback, {
          pkceCodeVerifier: signIn.codeVerifier,
          expectedState: signIn.state,
          expectedNonce: signIn.nonce,
          idTokenExpected: true,
        });
        jwksCache = oidc.getJwksCache(c) ?? jwksCache;
        const idClaims = tokens.claims();
        if (!idClaims || tokens.id_token === undefined) throw new Error('no ID token');
        let claims: Record<string, unknown> = { ...idClaims };
        if (lacksUserClaims(claims, config) && c.serverMetadata().userinfo_endpoint) {
          const info = await oidc.fetchUserInfo(c, tokens.access_token, idClaims.sub);
          claims = { ...info, ...claims };
        }
        const verdict = actorFromClaims(claims, config);
        if (!verdict.ok)
          throw new ClearanceError('ERR_UNAUTHENTICATED', `Sign-in refused: ${verdict.reason}.`);
        return { actor: verdict.actor, idToken: tokens.id_token, next: signIn.next };
      } catch (err) {
        return failing(err, 'callback');
      }
    },

    async logoutUrl(idToken) {
      try {
        const c = await configuration();
        if (!c.serverMetadata().end_session_endpoint) return undefined;
        return oidc.buildEndSessionUrl(c, {
          post_logout_redirect_uri: options.postLogoutRedirectUri,
          client_id: config.clientId,
          ...(idToken === undefined ? {} : { id_token_hint: idToken }),
        }).href;
      } catch (err) {
        // The Clearance session has ended already; the IdP's can be ended there later.
        log(`oidc: logout: ${reasonOf(err)}`);
        return undefined;
      }
    },
  };
}

/**
 * The sign-in a config's `oidc` section describes, or undefined without one. A client secret
 * variable that is not set stops the start (ERR_CONFIG).
 */
export function oidcSignInFromConfig(
  config: OidcConfig | undefined,
  deps: {
    publicUrl: string;
    env: Readonly<Record<string, string | undefined>>;
    clock: Clock;
    log: (line: string) => void;
    records?: SignInRecords | undefined;
  },
): OidcSignIn | undefined {
  if (!config) return undefined;
  let clientSecret: string | undefined;
  if (config.clientSecretEnv !== undefined) {
    clientSecret = deps.env[config.clientSecretEnv];
    if (clientSecret === undefined || clientSecret === '') {
      throw new ClearanceError(
        'ERR_CONFIG',
        `oidc.clientSecretEnv: the environment variable ${config.clientSecretEnv} is not set`,
      );
    }
  }
  return createOidcSignIn({
    config,
    redirectUri: `${deps.publicUrl}/login/oidc/callback`,
    postLogoutRedirectUri: `${deps.publicUrl}/login?bye=1`,
    clientSecret,
    clock: deps.clock,
    log: deps.log,
    records: deps.records,
  });
}
