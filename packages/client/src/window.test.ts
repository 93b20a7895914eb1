import { describe, expect, it } from 'vitest';
import {
  describeWindow,
  isInWindow,
  localTime,
  timeWindowSchema,
  type TimeWindow,
} from './window.js';

/** Each instant with whether the window holds it. */
function edges(window: TimeWindow, cases: [string, boolean][]): void {
  for (const [iso, inside] of cases) {
    expect({ iso, inside: isInWindow(window, new Date(iso)) }).toEqual({ iso, inside });
  }
}

describe('isInWindow', () => {
  it('opens at `from` (inclusive) and closes at `to` (exclusive) on the listed days', () => {
    edges({ days: ['mon', 'fri'], from: '09:00', to: '17:00', timeZone: 'Europe/Paris' }, [
      ['2026-01-05T07:59:59Z', false],
      ['2026-01-05T08:00:00Z', true],
      ['2026-01-05T15:59:59Z', true],
      ['2026-01-05T16:00:00Z', false],
      ['2026-01-06T10:00:00Z', false],
      ['2026-01-09T08:00:00Z', true],
    ]);
  });

  it('runs a window across midnight into the next day, as part of the day it started on', () => {
    edges({ days: ['fri'], from: '22:00', to: '02:00', timeZone: 'UTC' }, [
      ['2026-01-09T21:59:59Z', false],
      ['2026-01-09T22:00:00Z', true],
      ['2026-01-09T23:59:59Z', true],
      ['2026-01-10T00:00:00Z', true],
      ['2026-01-10T01:59:59Z', true],
      ['2026-01-10T02:00:00Z', false],
      ['2026-01-10T22:00:00Z', false],
      ['2026-01-09T01:00:00Z', false],
    ]);
  });

  it('follows local time over the spring daylight-saving change (Europe/Paris, 2026-03-29)', () => {
    // 02:00 local does not exist that day: 01:59:59 CET is followed by 03:00:00 CEST.
    edges({ days: ['sun'], from: '01:00', to: '03:30', timeZone: 'Europe/Paris' }, [
      ['2026-03-28T23:59:59Z', false],
      ['2026-03-29T00:00:00Z', true],
      ['2026-03-29T00:59:59Z', true],
      ['2026-03-29T01:00:00Z', true],
      ['2026-03-29T01:29:59Z', true],
      ['2026-03-29T01:30:00Z', false],
    ]);
  });

  it('follows local time over the autumn daylight-saving change (Europe/Paris, 2026-10-25)', () => {
    // 02:00-03:00 local happens twice: the window lasts an hour longer that night.
    edges({ days: ['sun'], from: '02:00', to: '03:00', timeZone: 'Europe/Paris' }, [
      ['2026-10-24T23:59:59Z', false],
      ['2026-10-25T00:00:00Z', true],
      ['2026-10-25T00:59:59Z', true],
      ['2026-10-25T01:00:00Z', true],
      ['2026-10-25T01:59:59Z', true],
      ['2026-10-25T02:00:00Z', false],
    ]);
  });

  it('crosses midnight into a daylight-saving change (America/New_York, 2026-03-08)', () => {
    edges({ days: ['sat'], from: '23:00', to: '04:00', timeZone: 'America/New_York' }, [
      ['2026-03-08T03:59:59Z', false],
      ['2026-03-08T04:00:00Z', true],
      ['2026-03-08T06:59:59Z', true],
      ['2026-03-08T07:00:00Z', true],
      ['2026-03-08T07:59:59Z', true],
      ['2026-03-08T08:00:00Z', false],
    ]);
  });

  it('takes equal from and to as the whole of each listed day', () => {
    edges({ days: ['sun'], from: '00:00', to: '00:00', timeZone: 'Asia/Tokyo' }, [
      ['2026-01-03T14:59:59Z', false],
      ['2026-01-03T15:00:00Z', true],
      ['2026-01-04T14:59:59Z', true],
      ['2026-01-04T15:00:00Z', false],
    ]);
  });
});

describe('localTime', () => {
  it('gives the weekday and minute of the day in the zone', () => {
    expect(localTime(new Date('2026-01-04T23:30:00Z'), 'Asia/Tokyo')).toEqual({
      day: 'mon',
      minute: 8 * 60 + 30,
    });
    expect(localTime(new Date('2026-01-05T00:00:00Z'), 'UTC')).toEqual({ day: 'mon', minute: 0 });
  });
});

describe('timeWindowSchema', () => {
  it('accepts HH:MM times and IANA zones, and refuses anything else', () => {
    const ok = { days: ['mon'], from: '09:00', to: '23:59', timeZone: 'Europe/Paris' };
    expect(timeWindowSchema.safeParse(ok).success).toBe(true);
    for (const bad of [
      { ...ok, from: '9:00' },
      { ...ok, to: '24:00' },
      { ...ok, timeZone: 'Mars/Olympus' },
      { ...ok, days: [] },
      { ...ok, days: ['monday'] },
      { ...ok, extra: true },
    ]) {
      expect({ bad, ok: timeWindowSchema.safeParse(bad).success }).toEqual({ bad, ok: false });
    }
  });

  it('is described in one line', () => {
    expect(
      describeWindow({ days: ['mon', 'tue'], from: '09:00', to: '17:00', timeZone: 'UTC' }),
    ).toBe('mon,tue 09:00-17:00 UTC');
  });
});
