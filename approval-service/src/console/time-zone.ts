import type { Context } from 'hono';
import { getCookie } from 'hono/cookie';
import { createContext } from 'hono/jsx';
import { DateTime } from 'luxon';
import { isTimeZone } from '@clearance/client';

/** The cookie that keeps the time zone chosen in this browser (`/settings`). */
export const timeZoneCookie = 'clearance-tz';

export { isTimeZone };

/** Zones that read the same as UTC: no second time is shown for them. */
function isUtc(zone: string): boolean {
  return /^(Etc\/)?(UTC|UCT|Universal|Zulu|GMT|Greenwich)(0|[+-]0)?$/i.test(zone);
}

/** Every zone the runtime knows, for the settings form. */
export function knownTimeZones(): string[] {
  return Intl.supportedValuesOf('timeZone').filter(isTimeZone);
}

/**
 * The approver's time zone: their user setting (`users[].timeZone` in the service config, or
 * from the IdP), else the one chosen in this browser; undefined shows UTC only.
 */
export function viewerTimeZone(c: Context, userSetting: string | undefined): string | undefined {
  if (userSetting !== undefined && isTimeZone(userSetting)) return userSetting;
  const chosen = getCookie(c, timeZoneCookie);
  return chosen !== undefined && isTimeZone(chosen) ? chosen : undefined;
}

/** "2026-01-05 10:00 Europe/Berlin"; undefined when the zone reads as UTC or the time is not one. */
export function formatInZone(iso: string, zone: string | undefined): string | undefined {
  if (zone === undefined || isUtc(zone)) return undefined;
  const at = DateTime.fromISO(iso, { zone: 'utc' });
  if (!at.isValid) return undefined;
  const local = at.setZone(zone);
  return local.isValid ? `${local.toFormat('yyyy-MM-dd HH:mm')} ${zone}` : undefined;
}

/** The viewer's time zone while a page renders (set by the layout). */
export const ViewerTimeZone = createContext<string | undefined>(undefined);
