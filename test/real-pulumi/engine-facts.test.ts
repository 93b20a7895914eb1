import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPulumiProject, type PulumiProject } from './pulumi-project.js';
import { realCliAvailable } from './real-cli.js';

/*
 * What the real engine hands a policy pack, seen from inside one: a recorder pack writes down its
 * environment and every call, and the engine's own log (-v=7) gives the order of the gRPC calls.
 * Each `it` shows one of the differences test/engine/README.md lists against the old harness.
 */
const recorderPack = fileURLToPath(new URL('./fixtures/recorder-pack', import.meta.url));
const program = fileURLToPath(new URL('./fixtures/engine-facts-program', import.meta.url));
const types = {
  stack: 'pulumi:pulumi:Stack',
  provider: 'pulumi:providers:aws',
  group: 'aws:ec2/securityGroup:SecurityGroup',
  rule: 'aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule',
  secret: 'aws:ssm/parameter:Parameter',
};

interface Entry {
  event: 'start' | 'analyze' | 'analyzeStack';
  pid: number;
  cwd?: string;
  env?: Record<string, string>;
  pulumiVariables?: string[];
  type?: string;
  props?: Record<string, unknown>;
  config?: Record<string, unknown>;
  resources?: { type: string; urn: string; props: Record<string, unknown> }[];
}

describe.runIf(realCliAvailable('engine facts'))('what the real engine hands a policy pack', () => {
  let project: PulumiProject;
  let runs = 0;
  beforeAll(async () => {
    project = await createPulumiProject({
      source: program,
      stack: 'dev',
      config: { 'aws:region': 'us-east-1' },
      env: {},
      prebuilt: true,
    });
  }, 60_000);
  afterAll(() => project?.close());

  /** Runs `pulumi <command>` with the recorder pack; returns what it recorded and the engine log. */
  async function recorded(command: string[], env: Record<string, string> = {}) {
    const file = join(project.dir, `recorded-${++runs}.jsonl`);
    await writeFile(file, '');
    const result = await project.pulumi(
      [...command, '--policy-pack', recorderPack, '-v=7', '--logtostderr', '--logflow'],
      { env: { RECORDER_FILE: file, ...env } },
    );
    const entries = (await readFile(file, 'utf8'))
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Entry);
    const calls = [
      ...result.stderr.matchAll(
        /Analyzer\[[^\]]*\]\.(\w+)(?:\(([^)#]*)\))?[^\n]*? (executing|success)/g,
      ),
    ].map((m) => `${m[1]}${m[2] ? `(${m[2]})` : ''} ${m[3]}`);
    return { result, entries, calls };
  }
  const of = (entries: Entry[], event: Entry['event']) => entries.filter((e) => e.event === event);

  let preview: Awaited<ReturnType<typeof recorded>>;
  beforeAll(async () => {
    preview = await recorded(['preview', '--stack', 'dev']);
  }, 120_000);

  it('starts the pack through the language host: PULUMI_NODEJS_* set, the pack folder as working directory', () => {
    expect(preview.result.code, preview.result.output).toBe(0);
    const [start, ...more] = of(preview.entries, 'start');
    expect(more).toEqual([]);
    expect(start?.cwd).toBe(recorderPack);
    expect(start?.env).toEqual({
      PULUMI_NODEJS_ORGANIZATION: 'organization',
      PULUMI_NODEJS_PROJECT: 'engine-facts',
      PULUMI_NODEJS_STACK: 'dev',
      PULUMI_NODEJS_DRY_RUN: 'true',
      PULUMI_NODEJS_TYPESCRIPT: 'true',
      PULUMI_CONFIG: JSON.stringify({ 'aws:region': 'us-east-1' }),
    });
    // No PULUMI_STACK / PULUMI_DRY_RUN of the engine's own: the PULUMI_NODEJS_* ones are the truth.
    expect(start?.pulumiVariables).not.toContain('PULUMI_STACK');
    expect(start?.pulumiVariables).not.toContain('PULUMI_DRY_RUN');
  });

  it('calls GetPluginInfo, GetAnalyzerInfo and Configure first, then Remediate before each Analyze, one call at a time', () => {
    const calls = preview.calls;
    expect(calls.slice(0, 3)).toEqual([
      'GetPluginInfo executing',
      'GetAnalyzerInfo executing',
      'Configure(...) executing',
    ]);
    const perResource = calls.filter((c) => /^(Remediate|Analyze)\(/.test(c));
    for (let i = 0; i < perResource.length; i += 4) {
      const type = /\(([^)]*)\)/.exec(perResource[i] ?? '')?.[1];
      // Strictly serial: every call ends before the next begins.
      expect(perResource.slice(i, i + 4)).toEqual([
        `Remediate(${type}) executing`,
        `Remediate(${type}) success`,
        `Analyze(${type}) executing`,
        `Analyze(${type}) success`,
      ]);
    }
    expect(perResource).toHaveLength(5 * 4);
    expect(calls.at(-2)).toBe('AnalyzeStack(...) success');
  });

  it('sends Configure with the schema defaults even without --policy-pack-config', () => {
    for (const entry of of(preview.entries, 'analyze')) {
      expect(entry.config).toEqual({ label: 'from-schema-default', limit: 3 });
    }
  });

  it('analyzes the stack and the provider resources too, before the program resources', () => {
    const order = of(preview.entries, 'analyze').map((e) => e.type);
    expect(order.slice(0, 2)).toEqual([types.stack, types.provider]);
    // The program registers its resources concurrently: only a dependency fixes their order
    // (the rule waits for the group's ID), so the secret may come before or after the rule.
    expect([...order.slice(2)].sort()).toEqual([types.group, types.secret, types.rule].sort());
    expect(order.indexOf(types.group)).toBeLessThan(order.indexOf(types.rule));
  });

  it("hands Analyze the inputs as the provider's Check returned them; a reference is unknown at preview", () => {
    const analyzed = of(preview.entries, 'analyze');
    const group = analyzed.find((e) => e.type === types.group);
    // The program set no name: the provider's autoname is what the pack sees.
    expect(group?.props).toEqual({
      description: 'engine facts',
      name: expect.stringMatching(/^facts-group-[0-9a-f]{7}$/),
      vpcId: 'vpc-facts',
    });
    expect(analyzed.find((e) => e.type === types.rule)?.props).toEqual({
      unreadable: 'UnknownValueError',
    });
    // A secret reaches the pack as its plain value.
    expect(analyzed.find((e) => e.type === types.secret)?.props).toMatchObject({
      value: 's3cr3t-value',
    });
  });

  it('runs `up` as a preview in one pack process, then the update in another; AnalyzeStack gets outputs', async () => {
    const up = await recorded(['up', '--yes', '--stack', 'dev']);
    expect(up.result.code, up.result.output).toBe(0);
    const starts = of(up.entries, 'start');
    expect(starts.map((s) => s.env?.PULUMI_NODEJS_DRY_RUN)).toEqual(['true', 'false']);
    expect(new Set(starts.map((s) => s.pid)).size).toBe(2);
    const update = up.entries.filter((e) => e.pid === starts[1]?.pid);
    const [stack] = of(update, 'analyzeStack');
    const group = stack?.resources?.find((r) => r.type === types.group);
    const rule = stack?.resources?.find((r) => r.type === types.rule);
    expect(group?.props).toMatchObject({
      id: expect.any(String),
      arn: expect.stringMatching(/^arn:aws:ec2:/),
    });
    // In the update, the reference arrives as the referenced resource's ID.
    const analyzedRule = of(update, 'analyze').find((e) => e.type === types.rule);
    expect(analyzedRule?.props?.securityGroupId).toBe(group?.props.id);
    expect(rule?.props.securityGroupId).toBe(group?.props.id);
  }, 120_000);

  it('in an update, stops analyzing at the first mandatory violation and never calls AnalyzeStack', async () => {
    const blockedRun = await recorded(
      ['up', '--yes', '--skip-preview', '--stack', 'dev', '--refresh=false'],
      {
        RECORDER_BLOCK: types.provider,
      },
    );
    expect(blockedRun.result.code).not.toBe(0);
    expect(of(blockedRun.entries, 'analyze').map((e) => e.type)).toEqual([
      types.stack,
      types.provider,
    ]);
    expect(of(blockedRun.entries, 'analyzeStack')).toEqual([]);
  }, 120_000);

  it('goes on analyzing in a preview after a mandatory violation, and still calls AnalyzeStack', async () => {
    const run = await recorded(['preview', '--stack', 'dev'], { RECORDER_BLOCK: types.provider });
    expect(run.result.code).not.toBe(0);
    expect(of(run.entries, 'analyze')).toHaveLength(5);
    expect(of(run.entries, 'analyzeStack')).toHaveLength(1);
  }, 120_000);

  it('validates --policy-pack-config against the schema and stops before any resource', async () => {
    const config = join(project.dir, 'bad-config.json');
    await writeFile(config, JSON.stringify({ 'recorder-resources': { limit: 0 } }));
    const run = await recorded(['preview', '--stack', 'dev', '--policy-pack-config', config]);
    expect(run.result.code).not.toBe(0);
    expect(run.result.output).toContain('validating policy config');
    expect(of(run.entries, 'analyze')).toEqual([]);
  }, 120_000);
});
