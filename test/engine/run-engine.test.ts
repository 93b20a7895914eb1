import { describe, expect, it } from 'vitest';
import { mapConcurrent, runEngine } from './run-engine.js';
import { childProcessIds, fixturePack } from './test-support.js';
import type { EngineResource } from './types.js';

const stack = { org: 'acme', project: 'shop', stack: 'prod' };
const packDir = fixturePack('probe-pack');

function barriers(count: number, parties: number, timeoutMs: number): EngineResource[] {
  return Array.from({ length: count }, (_, i) => ({
    type: 'probe:index:Barrier',
    name: `b${i}`,
    properties: { parties, timeoutMs },
  }));
}

function messageOf(diagnostic: { message: string } | undefined): string {
  return diagnostic?.message.split('\n').slice(1).join('\n') ?? '';
}

describe('runEngine', { timeout: 60_000 }, () => {
  it('runs an update end to end: config, per-resource and stack diagnostics, in resource order', async () => {
    const run = await runEngine({
      packDir,
      stack,
      dryRun: false,
      policyConfig: {
        'probe-config': { enforcementLevel: 'mandatory', properties: { threshold: 3 } },
      },
      resources: [
        { type: 'probe:index:Config', name: 'cfg' },
        { type: 'probe:index:Violating', name: 'v' },
        { type: 'probe:index:Context', name: 'ctx' },
      ],
    });
    expect(run.info.name).toBe('probe-pack');
    expect(run.coldStartMs).toBeGreaterThan(0);
    expect(run.analyzeMs).toBeGreaterThan(0);
    expect(run.diagnostics.map((d) => [d.policyName, d.enforcementLevel])).toEqual([
      ['probe-config', 'mandatory'],
      ['probe-violation', 'mandatory'],
      ['probe-context', 'advisory'],
      ['probe-stack', 'mandatory'],
    ]);
    expect(JSON.parse(messageOf(run.diagnostics[0]))).toEqual({ label: 'unset', threshold: 3 });
    expect(JSON.parse(messageOf(run.diagnostics[2]))).toMatchObject({
      dryRun: false,
      stack: 'prod',
    });
  });

  it('does not call Configure without a policy config', async () => {
    const run = await runEngine({
      packDir,
      stack,
      dryRun: true,
      resources: [{ type: 'probe:index:Config', name: 'cfg' }],
    });
    expect(run.diagnostics).toHaveLength(1);
    expect(run.diagnostics[0]?.enforcementLevel).toBe('advisory');
    expect(JSON.parse(messageOf(run.diagnostics[0]))).toEqual({});
  });

  it('keeps many Analyze calls in flight at once', async () => {
    const run = await runEngine({
      packDir,
      stack,
      dryRun: true,
      resources: barriers(16, 16, 10_000),
      concurrency: 16,
    });
    expect(run.diagnostics.map(messageOf)).toEqual(
      Array(16).fill('barrier met by 16 calls in flight'),
    );
  });

  it('sends one call at a time by default', async () => {
    const run = await runEngine({ packDir, stack, dryRun: true, resources: barriers(2, 2, 200) });
    expect(run.diagnostics.map(messageOf)).toEqual(
      Array(2).fill('barrier timed out with 1 of 2 in flight'),
    );
  });

  it('stops the pack when a call fails', async () => {
    const before = childProcessIds();
    await expect(
      runEngine({
        packDir,
        stack,
        dryRun: true,
        resources: [{ type: 'probe:index:Throwing', name: 'boom' }],
      }),
    ).rejects.toThrow(/probe-throw failed on boom/);
    expect(childProcessIds().filter((pid) => !before.includes(pid))).toEqual([]);
  });
});

describe('mapConcurrent', () => {
  it('keeps the order of the items and never exceeds the limit', async () => {
    let inFlight = 0;
    let peak = 0;
    const results = await mapConcurrent([5, 1, 4, 2, 3], 2, async (n) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await Promise.resolve();
      inFlight--;
      return n * 10;
    });
    expect(results).toEqual([50, 10, 40, 20, 30]);
    expect(peak).toBe(2);
  });

  it('rejects a limit below one', async () => {
    await expect(mapConcurrent([1], 0, async (n) => n)).rejects.toThrow(RangeError);
  });
});
