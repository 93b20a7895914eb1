import { describe, expect, it } from 'vitest';
import { freezeSchema, type FreezeConfig } from '../config/context-schema.js';
import { freezeAt, freezePeriods, freezePeriodsFor } from './freezes.js';

function freeze(fields: Record<string, unknown>): FreezeConfig {
  return freezeSchema.parse({ name: 'f', timeZone: 'Europe/Paris', ...fields });
}

const iso = (seconds: number): string => new Date(seconds * 1000).toISOString();
const at = (text: string): Date => new Date(text);

describe('change freezes', () => {
  it('a one-off freeze covers its wall-clock period in its zone, end excluded', () => {
    const f = freeze({ start: '2026-12-20T18:00', end: '2027-01-04T08:00' });
    expect(freezeAt([f], 'acme/shop/prod', at('2026-12-20T16:59:59Z'))).toBeUndefined();
    const on = freezeAt([f], 'acme/shop/prod', at('2026-12-20T17:00:00Z'));
    expect(on && [iso(on.start), iso(on.end)]).toEqual([
      '2026-12-20T17:00:00.000Z',
      '2027-01-04T07:00:00.000Z',
    ]);
    expect(freezeAt([f], 'acme/shop/prod', at('2027-01-04T07:00:00Z'))).toBeUndefined();
  });

  it('a weekly freeze keeps its local hours across the change to summer time', () => {
    // Europe/Paris moves from UTC+1 to UTC+2 on Sunday 29 March 2026.
    const f = freeze({ repeat: 'weekly', start: 'fri 18:00', end: 'mon 08:00' });
    const weekend = (from: string, to: string) =>
      freezePeriods(f, at(from), at(to)).map((p) => [iso(p.start), iso(p.end)]);
    expect(weekend('2026-03-21T00:00:00Z', '2026-04-05T00:00:00Z')).toEqual([
      ['2026-03-20T17:00:00.000Z', '2026-03-23T07:00:00.000Z'],
      ['2026-03-27T17:00:00.000Z', '2026-03-30T06:00:00.000Z'],
      ['2026-04-03T16:00:00.000Z', '2026-04-06T06:00:00.000Z'],
    ]);
    // 06:30 UTC on a Monday: 07:30 in Paris before the change (frozen), 08:30 after (not).
    expect(freezeAt([f], 'a/b/c', at('2026-03-23T06:30:00Z'))?.name).toBe('f');
    expect(freezeAt([f], 'a/b/c', at('2026-03-30T06:30:00Z'))).toBeUndefined();
  });

  it('a yearly freeze spans the new year, and recurs every year', () => {
    const f = freeze({ repeat: 'yearly', start: '12-20T00:00', end: '01-02T00:00' });
    expect(freezeAt([f], 'a/b/c', at('2026-01-01T12:00:00Z'))?.name).toBe('f');
    expect(freezeAt([f], 'a/b/c', at('2026-01-02T12:00:00Z'))).toBeUndefined();
    const newYear = freezeAt([f], 'a/b/c', at('2026-12-31T12:00:00Z'));
    expect(newYear && [iso(newYear.start), iso(newYear.end)]).toEqual([
      '2026-12-19T23:00:00.000Z',
      '2027-01-01T23:00:00.000Z',
    ]);
  });

  it('a yearly freeze across the change to summer time lasts an hour less', () => {
    const f = freeze({ repeat: 'yearly', start: '03-28T12:00', end: '03-30T12:00' });
    const [p] = freezePeriods(f, at('2026-03-28T00:00:00Z'), at('2026-03-31T00:00:00Z'));
    expect(p && [iso(p.start), iso(p.end), (p.end - p.start) / 3600]).toEqual([
      '2026-03-28T11:00:00.000Z',
      '2026-03-30T10:00:00.000Z',
      47,
    ]);
  });

  it('covers only the stacks it names, and lists the periods a token lifetime overlaps', () => {
    const prod = freeze({
      name: 'prod-weekend',
      repeat: 'weekly',
      start: 'fri 18:00',
      end: 'mon 08:00',
      stacks: ['*/*/prod'],
    });
    expect(freezeAt([prod], 'acme/shop/dev', at('2026-03-21T12:00:00Z'))).toBeUndefined();
    expect(freezeAt([prod], 'acme/shop/prod', at('2026-03-21T12:00:00Z'))?.name).toBe(
      'prod-weekend',
    );
    const lifetime = freezePeriodsFor(
      [prod],
      'acme/shop/prod',
      at('2026-03-20T12:00:00Z'),
      at('2026-03-20T20:00:00Z'),
    );
    expect(lifetime.map((p) => iso(p.start))).toEqual(['2026-03-20T17:00:00.000Z']);
  });

  it('refuses times that do not fit the recurrence', () => {
    const wrong = freezeSchema.safeParse({
      name: 'f',
      timeZone: 'Europe/Paris',
      repeat: 'weekly',
      start: '12-20T00:00',
      end: 'mon 08:00',
    });
    expect(wrong.success).toBe(false);
    expect(wrong.error?.issues[0]?.message).toBe(
      'expected a weekday and HH:MM, e.g. fri 18:00 (repeat: weekly)',
    );
  });
});
