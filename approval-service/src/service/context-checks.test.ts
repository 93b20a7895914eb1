import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '@clearance/client';
import { validateConfig } from '../config/load-config.js';
import { ContextChecks } from './context-checks.js';
import { startStatusStandIn, type StatusStandIn } from './status-stand-in.case.js';
import { httpStatusProbe } from './status-probe.js';

let standIn: StatusStandIn;
beforeAll(async () => {
  standIn = await startStatusStandIn();
});
afterAll(() => standIn.close());

const rule = { approvals: 1, approverGroups: ['managers'], maxDurationSeconds: 3600 };

function checks(
  conditions: Record<string, unknown>[],
  env: Record<string, string> = {},
  clock = new ManualClock('2026-01-05T09:00:00Z'),
) {
  const config = validateConfig({ defaultRule: rule, conditions }, 'test');
  return { context: new ContextChecks({ config, clock, probe: httpStatusProbe, env }), clock };
}

function condition(name: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { name, url: `${standIn.url}/${name}`, path: '$.open', equals: true, ...extra };
}

describe('status conditions against a local HTTP stand-in', () => {
  it('holds when the endpoint says so, and does not when it says otherwise', async () => {
    standIn.answer('/yes', { json: { open: true } });
    standIn.answer('/no', { json: { open: false } });
    const { context } = checks([condition('yes'), condition('no')]);
    const yes = await context.evaluate('yes');
    const no = await context.evaluate('no');
    expect(yes.verdict).toMatchObject({ condition: 'yes', holds: true });
    expect(no.verdict).toMatchObject({ condition: 'no', holds: false });
    expect(no.verdict.message).toBe('condition "no" does not hold: $.open is false, expected true');
  });

  it('compares numbers: error rate below 5%', async () => {
    standIn.answer('/rate', { json: { ratePercent: 7.5 } });
    const { context } = checks([
      condition('rate', { path: '$.ratePercent', equals: undefined, lessThan: 5 }),
    ]);
    const { verdict } = await context.evaluate('rate');
    expect(verdict.holds).toBe(false);
    expect(verdict.message).toContain('$.ratePercent is 7.5, expected below 5');
  });

  it('gives no verdict when the endpoint is slower than the timeout, naming the condition', async () => {
    standIn.answer('/slow', { json: { open: true }, delayMs: 2_000 });
    const { context } = checks([condition('slow', { timeoutMs: 50 })]);
    const { verdict } = await context.evaluate('slow');
    expect(verdict.holds).toBeUndefined();
    expect(verdict.message).toBe('condition "slow" could not be checked: no answer within 50 ms');
  });

  it('gives no verdict when the endpoint is unreachable', async () => {
    const closed = await startStatusStandIn();
    await closed.close();
    const { context } = checks([{ ...condition('gone'), url: `${closed.url}/gone` }]);
    const { verdict } = await context.evaluate('gone');
    expect(verdict.holds).toBeUndefined();
    expect(verdict.message).toMatch(
      /^condition "gone" could not be checked: the endpoint is unreachable \(ECONNREFUSED\)$/,
    );
  });

  it('gives no verdict on malformed JSON, an error status, or no value at the path', async () => {
    standIn.answer('/garbled', { raw: '{"open": tru' });
    standIn.answer('/broken', { json: { open: true }, status: 503 });
    standIn.answer('/elsewhere', { json: { state: 'open' } });
    const { context } = checks([condition('garbled'), condition('broken'), condition('elsewhere')]);
    const messages = await Promise.all(
      ['garbled', 'broken', 'elsewhere'].map(async (n) => (await context.evaluate(n)).verdict),
    );
    expect(messages.map((v) => [v.holds, v.message])).toEqual([
      [undefined, 'condition "garbled" could not be checked: the answer is not JSON'],
      [undefined, 'condition "broken" could not be checked: HTTP 503'],
      [
        undefined,
        'condition "elsewhere" could not be checked: $.open is nothing, not comparable with true',
      ],
    ]);
  });

  it('reuses a verdict for its cache time, then asks again', async () => {
    standIn.answer('/cached', { json: { open: true } });
    const { context, clock } = checks([condition('cached', { cacheSeconds: 30 })]);
    expect((await context.evaluate('cached')).fresh).toBe(true);
    standIn.answer('/cached', { json: { open: false } });
    clock.advanceSeconds(29);
    const again = await context.evaluate('cached');
    expect([again.fresh, again.verdict.holds]).toEqual([false, true]);
    expect(standIn.hits('/cached')).toBe(1);
    clock.advanceSeconds(1);
    const later = await context.evaluate('cached');
    expect([later.fresh, later.verdict.holds]).toEqual([true, false]);
    expect(standIn.hits('/cached')).toBe(2);
  });

  it('asks once for concurrent evaluations of the same condition', async () => {
    standIn.answer('/shared', { json: { open: true }, delayMs: 20 });
    const { context } = checks([condition('shared', { cacheSeconds: 0 })]);
    await Promise.all([context.evaluate('shared'), context.evaluate('shared')]);
    expect(standIn.hits('/shared')).toBe(1);
  });

  it('sends the header from its variable, and never puts the value in a verdict', async () => {
    standIn.answer('/secured', { json: { open: true } });
    const header = { name: 'Authorization', valueFromEnv: 'STATUS_TOKEN' };
    const { context } = checks([condition('secured', { header })], {
      STATUS_TOKEN: 'Bearer s3cret-value',
    });
    const { verdict } = await context.evaluate('secured');
    expect(standIn.lastHeaders('/secured')?.get('authorization')).toBe('Bearer s3cret-value');
    expect(JSON.stringify(verdict)).not.toContain('s3cret');
    const unset = checks([condition('secured', { header })]).context;
    expect((await unset.evaluate('secured')).verdict.message).toBe(
      'condition "secured" could not be checked: the endpoint is unreachable (STATUS_TOKEN is not set)',
    );
  });

  it('puts the requester into an on-call URL', async () => {
    standIn.answer('/on-call/carol', { json: { onCall: true } });
    const { context } = checks([
      {
        name: 'on-call',
        url: `${standIn.url}/on-call/{requester}`,
        path: '$.onCall',
        equals: true,
      },
    ]);
    const { verdict } = await context.evaluate('on-call', { requester: 'carol' });
    expect(verdict.holds).toBe(true);
  });
});
