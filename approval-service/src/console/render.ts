import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { HtmlEscapedString } from 'hono/utils/html';
import { isClearanceError } from '@clearance/client';
import { statusOf } from '../http/error-response.js';
import type { ConsoleEnv } from './console-deps.js';
import { viewerTimeZone } from './time-zone.js';
import type { PageUser } from './views/layout.js';

/** Sends a rendered page as a full HTML document. Pages are never cached: they show live state. */
export async function renderPage(
  c: Context,
  page: HtmlEscapedString | Promise<HtmlEscapedString>,
  status: ContentfulStatusCode = 200,
): Promise<Response> {
  const body = String(await page);
  c.header('Cache-Control', 'no-store');
  return c.html(`<!doctype html>${body}`, status);
}

/** The page user of the current session. */
export function pageUser(c: Context<ConsoleEnv>): PageUser {
  const session = c.get('session');
  return {
    actor: session.actor,
    formToken: session.formToken,
    mayReadAudit: c.get('mayReadAudit'),
    timeZone: viewerTimeZone(c, session.actor.timeZone),
  };
}

/** Takes the one-time message left by the previous request, if any. */
export function takeFlash(c: Context<ConsoleEnv>): string | undefined {
  const session = c.get('session');
  const flash = session.flash;
  delete session.flash;
  return flash;
}

/** For a refusal by the service: the HTTP status and the message to show. Other errors are rethrown. */
export function refusal(err: unknown): { status: ContentfulStatusCode; message: string } {
  if (!isClearanceError(err)) throw err;
  const status = statusOf[err.code];
  if (status >= 500) throw err;
  return { status, message: `Refused (${err.code}): ${err.message}` };
}
