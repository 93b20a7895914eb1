import { describe, expect, it } from 'vitest';
import { ManualClock } from '@clearance/client';
import type { AuditEvent } from '../domain/model.js';
import { AuthFailureAudit } from './auth-failure-audit.js';

function setup(maxKeys?: number) {
  const clock = new ManualClock('2026-01-05T09:00:00Z');
  const lines: AuditEvent[] = [];
  const state = { failing: false };
  const audit = new AuthFailureAudit({
    clock,
    windowSeconds: 60,
    via: 'api',
    write: (events) => {
      if (state.failing) return Promise.reject(new Error('disk full'));
      lines.push(...events);
      return Promise.resolve();
    },
    maxKeys,
  });
  const counts = () => lines.map((l) => l.data?.count);
  return { clock, lines, state, audit, counts };
}

describe('AuthFailureAudit', () => {
  it('writes the first failure of an address at once and only counts the next ones', async () => {
    const { audit, lines, counts } = setup();
    for (let i = 0; i < 50; i++) await audit.record('10.0.0.1', 'unknown API token');
    expect(counts()).toEqual([1]);
    expect(lines[0]).toEqual({
      time: '2026-01-05T09:00:00.000Z',
      actor: 'anonymous',
      action: 'auth.failed',
      subject: 'api',
      data: {
        via: 'api',
        reason: 'unknown API token',
        address: '10.0.0.1',
        count: 1,
        firstAt: '2026-01-05T09:00:00.000Z',
        lastAt: '2026-01-05T09:00:00.000Z',
      },
    });
    expect(audit.pending).toBe(49);
  });

  it('writes the counted attempts with the next failure after the window', async () => {
    const { audit, clock, lines, counts } = setup();
    await audit.record('10.0.0.1', 'unknown API token');
    clock.advanceSeconds(10);
    await audit.record('10.0.0.1', 'unknown API token');
    clock.advanceSeconds(20);
    await audit.record('10.0.0.1', 'unknown API token');
    clock.advanceSeconds(29);
    await audit.record('10.0.0.1', 'unknown API token');
    expect(counts()).toEqual([1]);
    clock.advanceSeconds(1);
    await audit.record('10.0.0.1', 'unknown API token');
    expect(counts()).toEqual([1, 4]);
    expect(lines[1]?.data).toMatchObject({
      firstAt: '2026-01-05T09:00:10.000Z',
      lastAt: '2026-01-05T09:01:00.000Z',
    });
  });

  it('flush writes counts whose window has passed, or all of them when asked', async () => {
    const { audit, clock, counts } = setup();
    await audit.record('10.0.0.1', 'unknown API token');
    await audit.record('10.0.0.1', 'unknown API token');
    clock.advanceSeconds(30);
    await audit.record('10.0.0.2', 'no bearer token');
    await audit.record('10.0.0.2', 'no bearer token');
    await audit.record('10.0.0.2', 'no bearer token');
    clock.advanceSeconds(30);
    expect(await audit.flush()).toBe(1);
    expect(counts()).toEqual([1, 1, 1]);
    expect(await audit.flush({ all: true })).toBe(1);
    expect(counts()).toEqual([1, 1, 1, 2]);
    expect(audit.pending).toBe(0);
    expect(await audit.flush({ all: true })).toBe(0);
  });

  it('keeps one line per address and reason', async () => {
    const { audit, lines } = setup();
    await audit.record('10.0.0.1', 'no bearer token');
    await audit.record('10.0.0.1', 'unknown API token');
    await audit.record('10.0.0.2', 'unknown API token');
    await audit.record('10.0.0.1', 'unknown API token');
    expect(lines.map((l) => [l.data?.address, l.data?.reason])).toEqual([
      ['10.0.0.1', 'no bearer token'],
      ['10.0.0.1', 'unknown API token'],
      ['10.0.0.2', 'unknown API token'],
    ]);
  });

  it('keeps the counts when a write fails, for the next line', async () => {
    const { audit, state, counts } = setup();
    state.failing = true;
    await expect(audit.record('10.0.0.1', 'unknown API token')).rejects.toThrow('disk full');
    await expect(audit.record('10.0.0.1', 'unknown API token')).rejects.toThrow('disk full');
    expect(audit.pending).toBe(2);
    state.failing = false;
    await audit.record('10.0.0.1', 'unknown API token');
    expect(counts()).toEqual([3]);
  });

  it('counts addresses beyond maxKeys together under "*", and forgets idle ones on flush', async () => {
    const { audit, clock, lines } = setup(2);
    for (const address of ['10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.0.4']) {
      await audit.record(address, 'unknown API token');
    }
    expect(lines.map((l) => l.data?.address)).toEqual(['10.0.0.1', '10.0.0.2', '*']);
    expect(audit.pending).toBe(1);
    clock.advanceSeconds(60);
    await audit.flush();
    expect(lines.at(-1)?.data).toMatchObject({ address: '*', count: 1 });
    clock.advanceSeconds(60);
    await audit.flush();
    await audit.record('10.0.0.5', 'unknown API token');
    expect(lines.at(-1)?.data).toMatchObject({ address: '10.0.0.5', count: 1 });
  });
});
