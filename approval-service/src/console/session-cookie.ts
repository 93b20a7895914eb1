import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';

const sessionName = 'clearance-session';
const loginName = 'clearance-login';

/** Over TLS the cookies carry `Secure` and the `__Host-` prefix (no Domain, Path=/). */
function nameFor(base: string, tls: boolean): string {
  return tls ? `__Host-${base}` : base;
}

function options(tls: boolean, maxAgeSeconds?: number, sameSite: 'Strict' | 'Lax' = 'Strict') {
  return {
    path: '/',
    httpOnly: true,
    sameSite,
    secure: tls,
    ...(maxAgeSeconds === undefined ? {} : { maxAge: maxAgeSeconds }),
  };
}

export function readSessionCookie(c: Context, tls: boolean): string | undefined {
  return getCookie(c, nameFor(sessionName, tls));
}

/** A session cookie without Max-Age: it also ends when the browser closes. */
export function writeSessionCookie(c: Context, tls: boolean, id: string): void {
  setCookie(c, nameFor(sessionName, tls), id, options(tls));
}

export function clearSessionCookie(c: Context, tls: boolean): void {
  deleteCookie(c, nameFor(sessionName, tls), options(tls));
}

export function readLoginCookie(c: Context, tls: boolean): string | undefined {
  return getCookie(c, nameFor(loginName, tls));
}

export function writeLoginCookie(c: Context, tls: boolean, nonce: string): void {
  setCookie(c, nameFor(loginName, tls), nonce, options(tls, 3600));
}

export function clearLoginCookie(c: Context, tls: boolean): void {
  deleteCookie(c, nameFor(loginName, tls), options(tls));
}

const signInName = 'clearance-sign-in';

export function readSignInCookie(c: Context, tls: boolean): string | undefined {
  return getCookie(c, nameFor(signInName, tls));
}

/**
 * The id of a single sign-on under way, for 10 minutes. `SameSite=Lax`, since the IdP sends
 * the browser back from its own site; the id is one use only and bound to a server-side state.
 */
export function writeSignInCookie(c: Context, tls: boolean, id: string): void {
  setCookie(c, nameFor(signInName, tls), id, options(tls, 600, 'Lax'));
}

export function clearSignInCookie(c: Context, tls: boolean): void {
  deleteCookie(c, nameFor(signInName, tls), options(tls, undefined, 'Lax'));
}
