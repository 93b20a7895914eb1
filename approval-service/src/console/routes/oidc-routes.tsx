import type { Context, Hono } from 'hono';
import { isClearanceError } from '@clearance/client';
import type { ConsoleDeps, ConsoleEnv } from '../console-deps.js';
import { renderPage } from '../render.js';
import {
  clearSignInCookie,
  readSessionCookie,
  readSignInCookie,
  writeSessionCookie,
  writeSignInCookie,
} from '../session-cookie.js';
import { clientAddress } from '../transport.js';
import { ErrorPage } from '../views/error-page.js';
import { MovingOnPage } from '../views/login-page.js';
import { safeNext } from './login-routes.js';

/**
 * `/login/oidc` sends the browser to the OpenID provider; `/login/oidc/callback` takes it back.
 * A failure shows one line on an error page and starts no session.
 */
export function oidcRoutes(app: Hono<ConsoleEnv>, deps: ConsoleDeps): void {
  const oidc = deps.oidc;
  if (!oidc) return;

  const failed = async (c: Context<ConsoleEnv>, err: unknown, stage: 'start' | 'callback') => {
    if (!isClearanceError(err)) throw err;
    const address = clientAddress(c, deps.options.trustProxy);
    await deps.auth.recordAuthFailure('oidc', { via: 'oidc', stage, address, reason: err.message });
    const status = err.code === 'ERR_UNREACHABLE' ? 502 : 401;
    const back = { href: '/login', label: 'Back to the sign-in page' };
    return renderPage(
      c,
      <ErrorPage title="Sign-in failed" message={err.message} back={back} />,
      status,
    );
  };

  app.get('/login/oidc', async (c) => {
    try {
      const { id, url } = await oidc.begin(safeNext(c.req.query('next')));
      writeSignInCookie(c, c.get('tls'), id);
      return c.redirect(url, 302);
    } catch (err) {
      return failed(c, err, 'start');
    }
  });

  app.get('/login/oidc/callback', async (c) => {
    const tls = c.get('tls');
    const id = readSignInCookie(c, tls);
    clearSignInCookie(c, tls);
    let signedIn;
    try {
      signedIn = await oidc.finish(id, new URL(c.req.url).searchParams);
    } catch (err) {
      return failed(c, err, 'callback');
    }
    const previous = readSessionCookie(c, tls);
    if (previous !== undefined) deps.sessions.destroy(previous);
    const session = deps.sessions.create(signedIn.actor, signedIn.idToken);
    writeSessionCookie(c, tls, session.id);
    // A page, not a redirect: the browser came from the IdP's site, so it sends the
    // SameSite=Strict session cookie only on a navigation that starts here.
    return renderPage(
      c,
      <MovingOnPage
        title="Signed in"
        text={`You are signed in as ${signedIn.actor.displayName}.`}
        to={safeNext(signedIn.next)}
      />,
    );
  });
}
