import { describe, expect, it } from 'vitest';
import { ManualClock } from '@clearance/client';
import { validateConfig } from '../config/load-config.js';
import type { AuditEvent } from '../domain/model.js';
import { ApiAuthThrottle } from './api-auth-throttle.js';

const defaultRule = { approvals: 1, approverGroups: ['managers'], maxDurationSeconds: 3600 };

function setup() {
  const clock = new ManualClock('2026-01-05T09:00:00Z');
  const lines: AuditEvent[] = [];
  const throttle = new ApiAuthThrottle({
    clock,
    settings: { trustProxy: false, failures: 2, windowSeconds: 60 },
    write: (events) => {
      lines.push(...events);
      return Promise.resolve();
    },
  });
  return { clock, lines, throttle };
}

describe('ApiAuthThrottle', () => {
  it('does not extend the wait for failures refused while limited', async () => {
    const { clock, throttle } = setup();
    await throttle.failed('10.0.0.1', 'unknown API token');
    await throttle.failed('10.0.0.1', 'unknown API token');
    expect(throttle.retryAfterSeconds('10.0.0.1')).toBe(1);
    for (let i = 0; i < 50; i++) await throttle.refused('10.0.0.1');
    expect(throttle.retryAfterSeconds('10.0.0.1')).toBe(1);
    clock.advanceSeconds(1);
    expect(throttle.retryAfterSeconds('10.0.0.1')).toBe(0);
    await throttle.failed('10.0.0.1', 'unknown API token');
    expect(throttle.retryAfterSeconds('10.0.0.1')).toBe(2);
  });

  it('flush writes the due counts of refusals and failures alike', async () => {
    const { clock, lines, throttle } = setup();
    await throttle.failed('10.0.0.1', 'no bearer token');
    await throttle.refused('10.0.0.1');
    await throttle.refused('10.0.0.1');
    await throttle.refused('10.0.0.1');
    clock.advanceSeconds(60);
    await throttle.flush();
    expect(lines.map((l) => [l.data?.reason, l.data?.count])).toEqual([
      ['no bearer token', 1],
      ['rate limited', 1],
      ['rate limited', 2],
    ]);
  });

  it('takes its settings from the config: proxy headers untrusted and 10 failures per 5 minutes by default', () => {
    const config = validateConfig({ defaultRule }, 'config');
    expect(config.trustProxy).toBe(false);
    expect(config.apiAuthLimit).toEqual({ failures: 10, windowSeconds: 300 });
    expect(() =>
      validateConfig({ defaultRule, apiAuthLimit: { failures: 0 } }, 'clearance.yaml'),
    ).toThrow(/apiAuthLimit\.failures/);
  });
});
