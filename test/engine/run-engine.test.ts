import { describe, expect, it } from 'vitest';
import { runEngine, withEngineResources } from './run-engine.js';
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
  it('runs a preview end to end: config, per-resource and stack diagnostics, in resource order', async () => {
    const run = await runEngine({
      packDir,
      stack,
      dryRun: true,
      policyConfig: {
        'probe-config': { enforcementLevel: 'advisory', properties: { threshold: 3 } },
      },
      resources: [
        { type: 'probe:index:Config', name: 'cfg' },
        { type: 'probe:index:Context', name: 'ctx' },
      ],
    });
    expect(run.info.name).toBe('probe-pack');
    expect(run.coldStartMs).toBeGreaterThan(0);
    expect(run.analyzeMs).toBeGreaterThan(0);
    expect(run.pass).toBe('preview');
    // The stack and the provider come first, as the engine analyzes them too.
    expect(run.analyzed).toBe(4);
    expect(run.diagnostics.map((d) => [d.policyName, d.enforcementLevel])).toEqual([
      ['probe-config', 'advisory'],
      ['probe-context', 'advisory'],
    ]);
    expect(JSON.parse(messageOf(run.diagnostics[0]))).toEqual({ label: 'unset', threshold: 3 });
    expect(JSON.parse(messageOf(run.diagnostics[1]))).toMatchObject({
      dryRun: true,
      stack: 'prod',
    });
  });

  it('always calls Configure, with the schema defaults when no config is given', async () => {
    const run = await runEngine({
      packDir,
      stack,
      dryRun: true,
      resources: [{ type: 'probe:index:Config', name: 'cfg' }],
    });
    expect(run.diagnostics[0]?.enforcementLevel).toBe('advisory');
    expect(JSON.parse(messageOf(run.diagnostics[0]))).toEqual({ label: 'unset' });
  });

  it('runs `up` as a preview first: a failed preview never starts the update', async () => {
    const run = await runEngine({
      packDir,
      stack,
      dryRun: false,
      resources: [
        { type: 'probe:index:Violating', name: 'v' },
        { type: 'probe:index:Context', name: 'ctx' },
      ],
    });
    expect(run.pass).toBe('preview');
    expect(run.analyzed).toBe(4);
    expect(run.analyzedStack).toBe(true);
    expect(run.diagnostics.map((d) => d.policyName)).toEqual([
      'probe-violation',
      'probe-context',
      'probe-stack',
    ]);
    expect(JSON.parse(messageOf(run.diagnostics[1]))).toMatchObject({ dryRun: true });
  });

  it('stops an update at the first mandatory violation, without AnalyzeStack', async () => {
    const run = await runEngine({
      packDir,
      stack,
      dryRun: false,
      skipPreview: true,
      resources: [
        { type: 'probe:index:Violating', name: 'v' },
        { type: 'probe:index:Context', name: 'ctx' },
      ],
    });
    expect(run.pass).toBe('update');
    expect(run.analyzed).toBe(3);
    expect(run.analyzedStack).toBe(false);
    expect(run.diagnostics.map((d) => d.policyName)).toEqual(['probe-violation']);
  });

  it('runs the update after a clean preview, in a process of its own', async () => {
    const run = await runEngine({
      packDir,
      stack,
      dryRun: false,
      resources: [{ type: 'probe:index:Context', name: 'ctx' }],
    });
    expect(run.pass).toBe('update');
    expect(run.analyzedStack).toBe(true);
    expect(JSON.parse(messageOf(run.diagnostics[0]))).toMatchObject({ dryRun: false });
  });

  it('sends one call at a time', async () => {
    const run = await runEngine({ packDir, stack, dryRun: true, resources: barriers(2, 2, 200) });
    expect(run.diagnostics.filter((d) => d.policyName !== 'probe-stack').map(messageOf)).toEqual(
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

describe('withEngineResources', () => {
  it('puts the stack resource and one default provider per package before the program resources', () => {
    const resources = [
      { type: 'aws:s3/bucket:Bucket', name: 'b' },
      { type: 'kubernetes:core/v1:Namespace', name: 'n' },
      { type: 'aws:kms/key:Key', name: 'k' },
    ];
    expect(withEngineResources(stack, resources).map((r) => `${r.type} ${r.name}`)).toEqual([
      'pulumi:pulumi:Stack shop-prod',
      'pulumi:providers:aws default',
      'pulumi:providers:kubernetes default',
      'aws:s3/bucket:Bucket b',
      'kubernetes:core/v1:Namespace n',
      'aws:kms/key:Key k',
    ]);
  });
});
