import type { Context, Hono } from 'hono';
import { z } from 'zod';
import type { ConsoleDeps, ConsoleEnv } from '../console-deps.js';
import { readForm, requireFormToken, requireSession, sameOriginPost } from '../guards.js';
import { pageUser, renderPage } from '../render.js';
import {
  clearLoginCookie,
  clearSessionCookie,
  readLoginCookie,
  readSessionCookie,
  writeLoginCookie,
  writeSessionCookie,
} from '../session-cookie.js';
import { clientAddress } from '../transport.js';
import { LoginPage, LogoutPage, MovingOnPage } from '../views/login-page.js';

const credentialsSchema = z.object({
  username: z.string().trim().min(1).max(200),
  password: z.string().min(1).max(1000),
});

const badCredentials = 'Unknown user name or wrong password.';
const tooMany = (seconds: number) =>
  `${badCredentials} Too many failed sign-ins: wait ${seconds} s before the next try.`;

/** A console path to return to after login; anything else (other sites, odd paths) means "/". */
export function safeNext(next: unknown): string {
  if (typeof next !== 'string' || next.length > 2000) return '/';
  if (!next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return '/';
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(next)) return '/';
  return next;
}

/** Login form token: reuses the browser's nonce cookie when it has one. */
function loginFormToken(c: Context<ConsoleEnv>, deps: ConsoleDeps): string {
  const tls = c.get('tls');
  let nonce = readLoginCookie(c, tls);
  if (!nonce || nonce.length > 100) {
    nonce = deps.loginTokens.newNonce();
    writeLoginCookie(c, tls, nonce);
  }
  return deps.loginTokens.tokenFor(nonce);
}

/** `/login` and `/logout`. */
export function loginRoutes(app: Hono<ConsoleEnv>, deps: ConsoleDeps): void {
  const { auth, sessions, accountLimiter, addressLimiter } = deps;

  const showLogin = (c: Context<ConsoleEnv>, status: 200 | 401 | 403 | 429, error?: string) => {
    const form = c.get('form');
    const next = safeNext(form?.next ?? c.req.query('next'));
    const id = readSessionCookie(c, c.get('tls'));
    const current = id === undefined ? undefined : sessions.get(id);
    const info = error
      ? undefined
      : current
        ? `You are signed in as ${current.actor.displayName}; signing in again ends that session.`
        : c.req.query('bye') === '1'
          ? 'You have signed out.'
          : undefined;
    const token = loginFormToken(c, deps);
    return renderPage(
      c,
      <LoginPage
        formToken={token}
        next={next === '/' ? undefined : next}
        error={error}
        info={info}
        ssoLabel={deps.oidc?.buttonLabel}
        passwords={deps.oidc?.localPasswords ?? true}
      />,
      status,
    );
  };

  app.get('/login', (c) => showLogin(c, 200));

  app.post('/login', sameOriginPost, async (c) => {
    const tls = c.get('tls');
    const form = await readForm(c);
    c.set('form', form);
    if (deps.oidc?.localPasswords === false) {
      return showLogin(c, 403, 'Local passwords are switched off: use single sign-on.');
    }
    if (!deps.loginTokens.verify(readLoginCookie(c, tls), form._token)) {
      return showLogin(c, 403, 'The sign-in form expired. Please try again.');
    }
    const parsed = credentialsSchema.safeParse(form);
    if (!parsed.success) return showLogin(c, 401, badCredentials);
    const { username, password } = parsed.data;
    const account = username.toLowerCase();
    const address = clientAddress(c, deps.options.trustProxy);
    // The password is checked first, whatever the limits: a right one always signs in, so
    // that nobody's failures lock its owner out. Only failures are limited.
    const actor = await auth.verifyPassword(username, password);
    if (!actor) {
      const wait = Math.max(
        accountLimiter.retryAfterSeconds(account),
        addressLimiter.retryAfterSeconds(address),
      );
      if (wait > 0) {
        c.header('Retry-After', String(wait));
        return showLogin(c, 429, tooMany(wait));
      }
      accountLimiter.recordFailure(account);
      addressLimiter.recordFailure(address);
      await auth.recordAuthFailure(username, { via: 'console', address });
      return showLogin(c, 401, badCredentials);
    }
    accountLimiter.reset(account);
    const previous = readSessionCookie(c, tls);
    if (previous !== undefined) sessions.destroy(previous);
    const session = sessions.create(actor);
    writeSessionCookie(c, tls, session.id);
    clearLoginCookie(c, tls);
    return c.redirect(safeNext(form.next), 303);
  });

  app.get('/logout', requireSession(deps), (c) => renderPage(c, <LogoutPage user={pageUser(c)} />));

  app.post('/logout', sameOriginPost, requireSession(deps), requireFormToken, async (c) => {
    const session = c.get('session');
    sessions.destroy(session.id);
    clearSessionCookie(c, c.get('tls'));
    // After a single sign-on, the IdP's session ends too where it offers RP-initiated logout.
    const idp =
      session.idToken === undefined ? undefined : await deps.oidc?.logoutUrl(session.idToken);
    if (idp === undefined) return c.redirect('/login?bye=1', 303);
    return renderPage(
      c,
      <MovingOnPage
        title="Signed out"
        text="You have signed out of Clearance. Now signing out at your identity provider."
        to={idp}
      />,
    );
  });
}
