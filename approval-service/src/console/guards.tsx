import type { Context, ErrorHandler, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { csrf } from 'hono/csrf';
import { secureHeaders } from 'hono/secure-headers';
import { ClearanceError } from '@clearance/client';
import type { ConsoleDeps, ConsoleEnv } from './console-deps.js';
import { tokensEqual } from './form-token.js';
import { refusal, renderPage } from './render.js';
import { clearSessionCookie, readSessionCookie } from './session-cookie.js';
import { isTls } from './transport.js';
import { ErrorPage } from './views/error-page.js';

type Guard = MiddlewareHandler<ConsoleEnv>;

/** Security headers of every console response: no script at all, styles from this origin only. */
export const consoleHeaders: Guard = secureHeaders({
  contentSecurityPolicy: {
    defaultSrc: ["'none'"],
    styleSrc: ["'self'"],
    imgSrc: ["'self'"],
    formAction: ["'self'"],
    frameAncestors: ["'none'"],
    baseUri: ["'none'"],
  },
  xFrameOptions: 'DENY',
  referrerPolicy: 'no-referrer',
});

/** Notes whether the request came over TLS (for cookie names and flags). */
export function detectTls(trustProxy: boolean): Guard {
  return async (c, next) => {
    c.set('tls', isTls(c, trustProxy));
    await next();
  };
}

function forbidden(c: Context, message: string): Promise<Response> {
  return renderPage(c, <ErrorPage title="Request refused" message={message} />, 403);
}

const originCheck = csrf();
const formBodyLimit = bodyLimit({
  maxSize: 64 * 1024,
  onError: (c) => c.text('Form too large', 413),
});

/**
 * A POST must come from a page of this console (Origin or Sec-Fetch-Site, checked by
 * `hono/csrf`) and stay small. Refusals get a page instead of an exception.
 */
export const sameOriginPost: Guard = async (c, next) => {
  let passed = false;
  try {
    await originCheck(c, async () => {
      passed = true;
    });
  } catch {
    passed = false;
  }
  if (!passed) return forbidden(c, 'This form was not sent from a page of this console.');
  return formBodyLimit(c, next);
};

/**
 * Reads the POSTed form into `form`, keeping only text fields. A body its content type does
 * not describe (a multipart form that is not one) is ERR_BAD_REQUEST.
 */
export async function readForm(c: Context): Promise<Record<string, string>> {
  let body: Awaited<ReturnType<Context['req']['parseBody']>>;
  try {
    body = await c.req.parseBody();
  } catch {
    throw new ClearanceError('ERR_BAD_REQUEST', 'the form could not be read');
  }
  const form: Record<string, string> = {};
  for (const [key, value] of Object.entries(body)) {
    if (typeof value === 'string') form[key] = value;
  }
  return form;
}

/** Requires a live session: pages send the browser to the login form, posts are refused. */
export function requireSession(deps: ConsoleDeps): Guard {
  return async (c, next) => {
    const id = readSessionCookie(c, c.get('tls'));
    if (id !== undefined) await deps.sessions.load(id);
    const session = id === undefined ? undefined : deps.sessions.get(id);
    if (!session) {
      if (id !== undefined) clearSessionCookie(c, c.get('tls'));
      if (c.req.method === 'GET' || c.req.method === 'HEAD') {
        const next = new URL(c.req.url);
        const target = `${next.pathname}${next.search}`;
        return c.redirect(
          target === '/' ? '/login' : `/login?next=${encodeURIComponent(target)}`,
          303,
        );
      }
      return forbidden(c, 'Your session has ended. Sign in again and repeat the action.');
    }
    c.set('session', session);
    c.set('mayReadAudit', deps.audit.mayReadAudit(session.actor));
    await next();
    await deps.sessions.persist(session.id);
  };
}

/** Every POST of a session carries the session's form token (compared in constant time). */
export const requireFormToken: Guard = async (c, next) => {
  const form = await readForm(c);
  if (!tokensEqual(c.get('session').formToken, form._token)) {
    return forbidden(
      c,
      'This form is out of date or did not come from this console. Reload the page and try again.',
    );
  }
  c.set('form', form);
  await next();
};

/** Errors in console handlers become pages: a refusal shows its message, anything else a plain 500. */
export function consoleErrorPage(log: (line: string) => void): ErrorHandler<ConsoleEnv> {
  return (err, c) => {
    try {
      const { status, message } = refusal(err);
      return renderPage(c, <ErrorPage title="Request refused" message={message} />, status);
    } catch {
      log(
        `console: unexpected error on ${c.req.method} ${c.req.path}: ${err.name}: ${err.message}`,
      );
      return renderPage(
        c,
        <ErrorPage
          title="Something went wrong"
          message="The console could not complete this request. Try again later."
        />,
        500,
      );
    }
  };
}
