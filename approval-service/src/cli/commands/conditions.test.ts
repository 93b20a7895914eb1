import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { startStatusStandIn, type StatusStandIn } from '../../service/status-stand-in.case.js';
import { runCli } from '../test-io.case.js';

let standIn: StatusStandIn;
let configPath: string;

beforeAll(async () => {
  standIn = await startStatusStandIn();
  standIn.answer('/incident', { json: { open: true } });
  standIn.answer('/rate', { json: { ratePercent: 9 } });
  standIn.answer('/on-call/carol', { json: { onCall: true } });
  configPath = join(mkdtempSync(join(tmpdir(), 'clearance-conditions-')), 'service.yaml');
  writeFileSync(
    configPath,
    stringify({
      defaultRule: { approvals: 1, approverGroups: ['managers'], maxDurationSeconds: 3600 },
      freezes: [
        { name: 'always', timeZone: 'UTC', start: '2020-01-01T00:00', end: '2099-01-01T00:00' },
        { name: 'never', timeZone: 'UTC', start: '2020-01-01T00:00', end: '2020-01-02T00:00' },
      ],
      conditions: [
        { name: 'incident-open', url: `${standIn.url}/incident`, path: '$.open', equals: true },
        {
          name: 'error-rate-low',
          url: `${standIn.url}/rate`,
          path: '$.ratePercent',
          lessThan: 5,
          header: { name: 'Authorization', valueFromEnv: 'RATE_TOKEN' },
        },
        {
          name: 'on-call',
          url: `${standIn.url}/on-call/{requester}`,
          path: '$.onCall',
          equals: true,
        },
      ],
    }),
  );
});
afterAll(() => standIn.close());

describe('clearance conditions', () => {
  it('lists freezes with their state and evaluates each condition now', async () => {
    const { code, out } = await runCli(['conditions', '--config', configPath], {
      RATE_TOKEN: 'Bearer rate-secret',
    });
    expect(code).toBe(0);
    expect(out).toContain('  always  on until 2099-01-01T00:00:00.000Z  (once 2020-01-01T00:00');
    expect(out).toContain('  never  off  (once');
    expect(out).toMatch(
      / {2}incident-open {2}holds {2}condition "incident-open" holds: \$\.open is true, expected true {2}\(checked \d{4}-/,
    );
    expect(out).toContain(
      '  error-rate-low  does not hold  condition "error-rate-low" does not hold: $.ratePercent is 9, expected below 5',
    );
    expect(out).toContain('  on-call  skipped  (about the requester: give --requester ID)');
    expect(out).not.toContain('rate-secret');
    expect(standIn.lastHeaders('/rate')?.get('authorization')).toBe('Bearer rate-secret');
  });

  it('asks about a requester, and exits 1 when a condition cannot be checked', async () => {
    const { code, out } = await runCli(
      ['conditions', '--config', configPath, '--requester', 'carol', '--json'],
      {},
    );
    expect(code).toBe(1);
    const result = JSON.parse(out) as { conditions: { condition: string; holds?: boolean }[] };
    expect(result.conditions.map((c) => [c.condition, c.holds])).toEqual([
      ['incident-open', true],
      ['error-rate-low', undefined],
      ['on-call', true],
    ]);
  });

  it('asks again each time rather than from a cache', async () => {
    const before = standIn.hits('/incident');
    await runCli(['conditions', '--config', configPath], {});
    await runCli(['conditions', '--config', configPath], {});
    expect(standIn.hits('/incident')).toBe(before + 2);
  });
});
