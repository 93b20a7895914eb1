import type { Hono } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { z } from 'zod';
import type { ConsoleDeps, ConsoleEnv } from '../console-deps.js';
import { requireFormToken, requireSession, sameOriginPost } from '../guards.js';
import { pageUser, renderPage, takeFlash } from '../render.js';
import { isTimeZone, knownTimeZones, timeZoneCookie } from '../time-zone.js';
import { SettingsPage } from '../views/settings-page.js';

const settingsFormSchema = z.object({
  timeZone: z.union([z.literal(''), z.string().refine(isTimeZone)]),
});

const yearSeconds = 366 * 24 * 3600;

/** `/settings`: the time zone this browser shows times in, beside UTC. */
export function settingsRoutes(app: Hono<ConsoleEnv>, deps: ConsoleDeps): void {
  app.get('/settings', requireSession(deps), (c) => {
    const chosen = getCookie(c, timeZoneCookie);
    return renderPage(
      c,
      <SettingsPage
        user={pageUser(c)}
        accountZone={c.get('session').actor.timeZone}
        browserZone={chosen !== undefined && isTimeZone(chosen) ? chosen : undefined}
        zones={knownTimeZones()}
        flash={takeFlash(c)}
      />,
    );
  });

  app.post('/settings', sameOriginPost, requireSession(deps), requireFormToken, (c) => {
    const parsed = settingsFormSchema.safeParse(c.get('form'));
    if (!parsed.success) return c.text('Unknown time zone', 400);
    const zone = parsed.data.timeZone;
    const cookie = { path: '/', sameSite: 'Strict' as const, secure: c.get('tls') };
    if (zone === '') deleteCookie(c, timeZoneCookie, cookie);
    else setCookie(c, timeZoneCookie, zone, { ...cookie, maxAge: yearSeconds });
    c.get('session').flash =
      zone === '' ? 'Times are now shown in UTC only.' : `Times are now shown in ${zone} too.`;
    return c.redirect('/settings', 303);
  });
}
