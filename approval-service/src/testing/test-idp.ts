import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';

/** A person known to the test IdP: their login, name and groups there. */
export interface TestIdpUser {
  login: string;
  name: string;
  groups: string[];
}

/** The relying party (Clearance) as the test IdP registers it. */
export interface TestIdpClient {
  clientId: string;
  clientSecret: string;
  redirectUris: string[];
  postLogoutRedirectUris: string[];
}

/** A real OpenID provider (`oidc-provider`, its development login pages) on a loopback port. */
export interface TestIdp {
  issuer: string;
  /** Serves the provider with this client; the issuer is known (and listening) before. */
  register(client: TestIdpClient): void;
  /** Stops listening: the IdP is down from then on. */
  close(): Promise<void>;
}

/**
 * Starts a test IdP whose users are `users`. Until `register` is called it answers 503, so that
 * its issuer URL can go into a Clearance config before Clearance (the client) has a port.
 * ID tokens carry `preferred_username`, `name` and `groups`, and live `idTokenTtlSeconds`.
 */
export async function startTestIdp(
  users: TestIdpUser[],
  options: { idTokenTtlSeconds?: number } = {},
): Promise<TestIdp> {
  let handler: ((req: Parameters<Server['emit']>[1], res: unknown) => void) | undefined;
  const server = createServer((req, res) => {
    if (handler) return handler(req, res);
    res.writeHead(503).end('not ready');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    issuer,
    register(client) {
      const provider = new Provider(issuer, {
        clients: [
          {
            client_id: client.clientId,
            client_secret: client.clientSecret,
            redirect_uris: client.redirectUris,
            post_logout_redirect_uris: client.postLogoutRedirectUris,
            response_types: ['code'],
            grant_types: ['authorization_code'],
          },
        ],
        findAccount: (_ctx, id) => {
          const user = users.find((u) => u.login === id);
          if (!user) return undefined;
          return {
            accountId: id,
            claims: () => ({
              sub: id,
              preferred_username: user.login,
              name: user.name,
              groups: user.groups,
            }),
          };
        },
        claims: { openid: ['sub'], profile: ['name', 'preferred_username', 'groups'] },
        // The claims go into the ID token itself, as most IdPs configure a groups claim.
        conformIdTokenClaims: false,
        pkce: { required: () => true },
        features: { devInteractions: { enabled: true }, rpInitiatedLogout: { enabled: true } },
        cookies: { keys: ['test-idp-cookie-key'] },
        ttl: {
          IdToken: options.idTokenTtlSeconds ?? 300,
          AccessToken: 300,
          Interaction: 600,
          Session: 3600,
          Grant: 3600,
        },
      });
      handler = provider.callback() as typeof handler;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A user agent without a browser: keeps cookies per origin, follows nothing by itself. */
export class CookieAgent {
  readonly #jar = new Map<string, Map<string, string>>();

  async fetch(url: string | URL, init: RequestInit = {}): Promise<Response> {
    const target = new URL(url);
    const cookies = this.#jar.get(target.origin);
    const headers = new Headers(init.headers);
    if (cookies && cookies.size > 0) {
      headers.set('cookie', [...cookies].map(([k, v]) => `${k}=${v}`).join('; '));
    }
    const response = await fetch(target, { ...init, headers, redirect: 'manual' });
    for (const line of response.headers.getSetCookie()) this.#keep(target.origin, line);
    return response;
  }

  /** The value of a cookie this agent holds for `origin`. */
  cookie(origin: string, name: string): string | undefined {
    return this.#jar.get(origin)?.get(name);
  }

  setCookie(origin: string, name: string, value: string): void {
    const jar = this.#jar.get(origin) ?? new Map<string, string>();
    jar.set(name, value);
    this.#jar.set(origin, jar);
  }

  #keep(origin: string, line: string): void {
    const [pair = '', ...attributes] = line.split(';');
    const at = pair.indexOf('=');
    const name = pair.slice(0, at).trim();
    const value = pair.slice(at + 1).trim();
    const gone = attributes.some((a) => {
      const [k = '', v = ''] = a.trim().split('=');
      return (
        (k.toLowerCase() === 'max-age' && Number(v) <= 0) ||
        (k.toLowerCase() === 'expires' && Date.parse(v) < Date.now())
      );
    });
    const jar = this.#jar.get(origin) ?? new Map<string, string>();
    if (gone || value === '') jar.delete(name);
    else jar.set(name, value);
    this.#jar.set(origin, jar);
  }
}

/**
 * Goes through the test IdP's login and consent pages as `login` would, from the
 * authorization URL the relying party sent the browser to, and returns the URL the IdP then
 * sends the browser back to (the callback, with `code`, `state` and `iss`), without opening it.
 */
export async function signInAtTestIdp(
  agent: CookieAgent,
  authorizationUrl: string,
  login: string,
): Promise<URL> {
  let url = new URL(authorizationUrl);
  const origin = url.origin;
  for (let step = 0; step < 12; step += 1) {
    const response = await agent.fetch(url);
    const location = response.headers.get('location');
    if (location !== null) {
      url = new URL(location, url);
      if (url.origin !== origin) return url;
      continue;
    }
    const page = await response.text();
    const action = /<form[^>]*action="([^"]+)"/.exec(page)?.[1];
    const prompt = /name="prompt" value="([^"]+)"/.exec(page)?.[1];
    if (action === undefined || prompt === undefined) {
      throw new Error(`test IdP: unexpected page at ${url.pathname} (${response.status})`);
    }
    const form = new URLSearchParams({ prompt });
    if (prompt === 'login') {
      form.set('login', login);
      form.set('password', 'any');
    }
    const posted = await agent.fetch(new URL(action, url), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
    });
    const next = posted.headers.get('location');
    if (next === null) throw new Error(`test IdP: ${prompt} form answered ${posted.status}`);
    url = new URL(next, url);
    if (url.origin !== origin) return url;
  }
  throw new Error('test IdP: too many steps');
}
