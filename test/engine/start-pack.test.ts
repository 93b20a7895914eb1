import { execFile } from 'node:child_process';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PackStartError } from './pack-process.js';
import { startPack, type PackHandle } from './start-pack.js';
import { fixturePack, processExists } from './test-support.js';
import { secret, UNKNOWN } from './wire-values.js';

const stack = { org: 'acme', project: 'shop', stack: 'prod' };
const run = promisify(execFile);
const abandonScript = fileURLToPath(new URL('./abandon-pack.ts', import.meta.url));

describe('startPack against the probe pack (preview)', { timeout: 60_000 }, () => {
  let pack: PackHandle;

  beforeAll(async () => {
    pack = await startPack({
      packDir: fixturePack('probe-pack'),
      stack,
      dryRun: true,
      env: { PROBE_MARKER: 'from-ci' },
      config: { 'shop:region': 'eu-west-1' },
      tags: { team: 'payments' },
    });
    await pack.configureStack();
  });

  afterAll(() => pack?.close());

  it('reports the port and the cold start', () => {
    expect(pack.port).toBeGreaterThan(0);
    expect(pack.coldStartMs).toBeGreaterThan(0);
  });

  it('lists the pack and its policies', async () => {
    const info = await pack.getAnalyzerInfo();
    expect(info.name).toBe('probe-pack');
    expect(info.policies.map((p) => [p.name, p.enforcementLevel])).toEqual([
      ['probe-violation', 'mandatory'],
      ['probe-echo', 'advisory'],
      ['probe-context', 'advisory'],
      ['probe-config', 'advisory'],
      ['probe-barrier', 'advisory'],
      ['probe-throw', 'mandatory'],
      ['probe-stack', 'mandatory'],
    ]);
    expect(
      info.policies.find((p) => p.name === 'probe-config')?.configSchema?.properties,
    ).toHaveProperty('label');
  });

  it('returns a violation with its level and the resource URN', async () => {
    const diagnostics = await pack.analyze({ type: 'probe:index:Violating', name: 'db' });
    expect(diagnostics).toEqual([
      {
        policyName: 'probe-violation',
        urn: 'urn:pulumi:prod::shop::probe:index:Violating::db',
        message: 'Rejects every resource of the violating probe type.\nviolating resource db',
        enforcementLevel: 'mandatory',
        description: 'Rejects every resource of the violating probe type.',
      },
    ]);
  });

  it('returns nothing for a resource no policy cares about', async () => {
    expect(
      await pack.analyze({
        type: 'aws:s3/bucket:Bucket',
        name: 'logs',
        properties: { bucket: 'logs' },
      }),
    ).toEqual([]);
  });

  it('passes the stack, dry run, config, tags and extra environment to the pack', async () => {
    const [diagnostic] = await pack.analyze({
      type: 'probe:index:Context',
      name: 'ctx',
      parentType: 'acme:index:Service',
    });
    expect(JSON.parse(diagnostic!.message.split('\n')[1]!)).toEqual({
      organization: 'acme',
      project: 'shop',
      stack: 'prod',
      dryRun: true,
      config: '{"shop:region":"eu-west-1"}',
      marker: 'from-ci',
      tags: { team: 'payments' },
      urn: 'urn:pulumi:prod::shop::acme:index:Service$probe:index:Context::ctx',
    });
  });

  it('turns an unknown input into the advisory preview diagnostic', async () => {
    const [diagnostic] = await pack.analyze({
      type: 'probe:index:Echo',
      name: 'e',
      properties: { cidr: UNKNOWN },
    });
    expect(diagnostic?.enforcementLevel).toBe('advisory');
    expect(diagnostic?.message).toMatch(
      /^can't run policy 'probe-echo' from policy pack 'probe-pack@v0\.0\.0' during preview: .*\.cidr/,
    );
  });

  it('hands secrets to policies as plain values', async () => {
    const [diagnostic] = await pack.analyze({
      type: 'probe:index:Echo',
      name: 'e',
      properties: { password: secret('hunter2'), nested: { token: secret(['a', 'b']) } },
    });
    expect(JSON.parse(diagnostic!.message.split('\n')[1]!)).toEqual({
      nested: { token: ['a', 'b'] },
      password: 'hunter2',
    });
  });

  it('sends the stack outputs to AnalyzeStack', async () => {
    const diagnostics = await pack.analyzeStack([
      { type: 'probe:index:Violating', name: 'one' },
      { type: 'aws:s3/bucket:Bucket', name: 'logs' },
    ]);
    expect(diagnostics.map((d) => [d.policyName, d.urn, d.enforcementLevel])).toEqual([
      ['probe-stack', 'urn:pulumi:prod::shop::probe:index:Violating::one', 'mandatory'],
    ]);
  });

  it('surfaces a policy that throws as a failed call', async () => {
    await expect(pack.analyze({ type: 'probe:index:Throwing', name: 'boom' })).rejects.toThrow(
      /probe-throw failed on boom/,
    );
  });

  it('refuses properties the wire cannot carry before calling the pack', async () => {
    await expect(
      pack.analyze({
        type: 'probe:index:Echo',
        name: 'bad',
        properties: { n: Number.POSITIVE_INFINITY },
      }),
    ).rejects.toThrow(/cannot marshal/);
  });
});

describe('startPack lifecycle', { timeout: 60_000 }, () => {
  it('stops the process on close and leaves nothing running', async () => {
    const pack = await startPack({ packDir: fixturePack('noop-pack'), stack, dryRun: false });
    expect(processExists(pack.pid)).toBe(true);
    await pack.close();
    expect(processExists(pack.pid)).toBe(false);
    await expect(pack.getAnalyzerInfo()).rejects.toThrow();
    await pack.close();
  });

  it('ends a pack whose harness dies without closing it', async () => {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', abandonScript]).catch(
      (error: { stdout: string }) => error,
    );
    const pid = Number(stdout.trim());
    expect(pid).toBeGreaterThan(0);
    const deadline = Date.now() + 10_000;
    while (processExists(pid) && Date.now() < deadline) await delay(50);
    expect(processExists(pid)).toBe(false);
  });

  it('reports a pack that dies while loading, with its stderr', async () => {
    const failure = startPack({ packDir: fixturePack('broken-pack'), stack, dryRun: true });
    await expect(failure).rejects.toThrow(
      /exited .* before reporting a port[\s\S]*broken-pack fails while loading/,
    );
    const error = (await failure.catch((e: unknown) => e)) as PackStartError;
    expect(error).toBeInstanceOf(PackStartError);
    expect(processExists(error.pid!)).toBe(false);
  });

  it('gives up on a pack that never reports a port, and stops it', async () => {
    const failure = startPack({
      packDir: fixturePack('silent-pack'),
      stack,
      dryRun: true,
      startTimeoutMs: 1_500,
    });
    const error = (await failure.catch((e: unknown) => e)) as PackStartError;
    expect(error).toBeInstanceOf(PackStartError);
    expect(error.message).toMatch(/did not report a port within 1500 ms/);
    expect(processExists(error.pid!)).toBe(false);
  });
});
