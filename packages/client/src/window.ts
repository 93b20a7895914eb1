import { z } from 'zod';

export const weekdayNames = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof weekdayNames)[number];

const hhmm = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected a time of day as HH:MM (00:00 to 23:59)');

/** Whether `tz` is an IANA time zone the runtime knows (`Europe/Paris`). */
export function isTimeZone(tz: string): boolean {
  if (tz.length > 100) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** An IANA time zone name, checked against the runtime's zones. */
export const timeZoneSchema = z
  .string()
  .refine(isTimeZone, 'expected an IANA time zone such as Europe/Paris');

/**
 * A recurring window in which a change may be approved and deployed: weekdays, a wall-clock
 * span in an IANA time zone. `from` later than `to` means the span crosses midnight; the
 * part after midnight belongs to the day the span started on.
 */
export const timeWindowSchema = z
  .object({
    days: z.array(z.enum(weekdayNames)).min(1),
    from: hhmm,
    to: hhmm,
    timeZone: timeZoneSchema,
  })
  .strict();

export type TimeWindow = z.infer<typeof timeWindowSchema>;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

function minutesOf(text: string): number {
  const [h, m] = text.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}

/** Local weekday and minute of the day of `at` in `timeZone`. */
export function localTime(at: Date, timeZone: string): { day: Weekday; minute: number } {
  let day: Weekday = 'mon';
  let hour = 0;
  let minute = 0;
  for (const part of formatterFor(timeZone).formatToParts(at)) {
    if (part.type === 'weekday') day = part.value.toLowerCase().slice(0, 3) as Weekday;
    else if (part.type === 'hour') hour = Number(part.value);
    else if (part.type === 'minute') minute = Number(part.value);
  }
  return { day, minute: hour * 60 + minute };
}

function previousDay(day: Weekday): Weekday {
  const i = weekdayNames.indexOf(day);
  return weekdayNames[(i + 6) % 7] as Weekday;
}

/** Whether `at` falls inside the window (start inclusive, end exclusive). */
export function isInWindow(window: TimeWindow, at: Date): boolean {
  const { day, minute } = localTime(at, window.timeZone);
  const from = minutesOf(window.from);
  const to = minutesOf(window.to);
  const days = new Set<Weekday>(window.days);
  if (from === to) return days.has(day);
  if (from < to) return days.has(day) && minute >= from && minute < to;
  return (days.has(day) && minute >= from) || (days.has(previousDay(day)) && minute < to);
}

export function describeWindow(window: TimeWindow): string {
  return `${window.days.join(',')} ${window.from}-${window.to} ${window.timeZone}`;
}
