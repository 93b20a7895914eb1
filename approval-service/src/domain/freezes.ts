import { DateTime, type WeekdayNumbers } from 'luxon';
import { matchesGlob, type FreezePeriod } from '@clearance/client';
import { freezeTimeFormats, type FreezeConfig } from '../config/context-schema.js';

const weekdays = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

interface WallTime {
  month?: number;
  day?: number;
  year?: number;
  weekday?: WeekdayNumbers;
  hour: number;
  minute: number;
}

function wallTime(freeze: FreezeConfig, text: string): WallTime {
  const n = (s: string | undefined): number => Number(s);
  if (freeze.repeat === 'weekly') {
    const [, day, h, m] = freezeTimeFormats.weekly.exec(text) ?? [];
    const weekday = (weekdays.indexOf(day as (typeof weekdays)[number]) + 1) as WeekdayNumbers;
    return { weekday, hour: n(h), minute: n(m) };
  }
  if (freeze.repeat === 'yearly') {
    const [, mo, d, h, m] = freezeTimeFormats.yearly.exec(text) ?? [];
    return { month: n(mo), day: n(d), hour: n(h), minute: n(m) };
  }
  const [, y, mo, d, h, m] = freezeTimeFormats.none.exec(text) ?? [];
  return { year: n(y), month: n(mo), day: n(d), hour: n(h), minute: n(m) };
}

function period(name: string, start: DateTime, end: DateTime): FreezePeriod {
  return { name, start: Math.floor(start.toSeconds()), end: Math.floor(end.toSeconds()) };
}

/**
 * The occurrences of a freeze that overlap `[from, to)`, as instants. Wall-clock times are
 * read in the freeze's zone for each occurrence, so a weekly or yearly freeze keeps its local
 * hours across a change of daylight saving time (luxon resolves a time a DST gap skips to the
 * first instant after it).
 */
export function freezePeriods(freeze: FreezeConfig, from: Date, to: Date): FreezePeriod[] {
  const zone = freeze.timeZone;
  const start = wallTime(freeze, freeze.start);
  const end = wallTime(freeze, freeze.end);
  const candidates: FreezePeriod[] = [];
  if (freeze.repeat === 'none') {
    candidates.push(
      period(freeze.name, DateTime.fromObject(start, { zone }), DateTime.fromObject(end, { zone })),
    );
  } else if (freeze.repeat === 'yearly') {
    const first = DateTime.fromJSDate(from, { zone }).year - 1;
    const last = DateTime.fromJSDate(to, { zone }).year;
    for (let year = first; year <= last; year++) {
      const s = DateTime.fromObject({ ...start, year }, { zone });
      let e = DateTime.fromObject({ ...end, year }, { zone });
      if (e <= s) e = DateTime.fromObject({ ...end, year: year + 1 }, { zone });
      candidates.push(period(freeze.name, s, e));
    }
  } else {
    let week = DateTime.fromJSDate(from, { zone }).startOf('week').minus({ weeks: 1 });
    const last = DateTime.fromJSDate(to, { zone });
    for (; week <= last; week = week.plus({ weeks: 1 })) {
      const s = week.set({ weekday: start.weekday ?? 1, hour: start.hour, minute: start.minute });
      let e = week.set({ weekday: end.weekday ?? 1, hour: end.hour, minute: end.minute });
      if (e <= s) e = e.plus({ weeks: 1 });
      candidates.push(period(freeze.name, s, e));
    }
  }
  const a = from.getTime() / 1000;
  const b = to.getTime() / 1000;
  return candidates.filter((p) => p.start < b && p.end > a && p.start < p.end);
}

/** The freezes that cover a stack (`org/project/stack`). */
export function freezesFor(freezes: readonly FreezeConfig[], stack: string): FreezeConfig[] {
  return freezes.filter((f) => f.stacks.some((glob) => matchesGlob(stack, glob)));
}

/** The freeze period `at` falls in, among the freezes that cover the stack. */
export function freezeAt(
  freezes: readonly FreezeConfig[],
  stack: string,
  at: Date,
): FreezePeriod | undefined {
  const next = new Date(at.getTime() + 1000);
  for (const freeze of freezesFor(freezes, stack)) {
    const found = freezePeriods(freeze, at, next).find(
      (p) => p.start * 1000 <= at.getTime() && at.getTime() < p.end * 1000,
    );
    if (found) return found;
  }
  return undefined;
}

/** Every freeze period over the stack that overlaps `[from, to)`, in time order. */
export function freezePeriodsFor(
  freezes: readonly FreezeConfig[],
  stack: string,
  from: Date,
  to: Date,
): FreezePeriod[] {
  return freezesFor(freezes, stack)
    .flatMap((f) => freezePeriods(f, from, to))
    .sort((x, y) => x.start - y.start);
}
