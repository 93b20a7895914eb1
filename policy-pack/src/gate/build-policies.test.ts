import { describe, expect, it, vi } from 'vitest';
import type {
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationPolicy,
} from '@pulumi/policy';
import { ClearanceError } from '@clearance/client';
import type { Finding, ResourceInput, SensitiveRule } from '../sensitive-rule.js';
import { buildPolicies, RUN_RECORD_POLICY } from './build-policies.js';
import type { Gate, GatePreparation, GateRequest } from './gate.js';
import { lazyGate } from './lazy-gate.js';
import type { Report, Verdict } from './verdict.js';

const sgType = 'aws:ec2/securityGroup:SecurityGroup';

interface PortConfig {
  port: number;
}

function rule(
  detect: (r: ResourceInput, c: PortConfig) => Finding | undefined,
): SensitiveRule<PortConfig> {
  return {
    name: 'test-open-port',
    description: 'An open port needs an approval.',
    resourceTypes: [sgType],
    configSchema: { properties: { port: { type: 'integer' } } },
    defaults: { port: 22 },
    detect,
  };
}

const open: Finding = { summary: 'port 22 open', material: { port: 22 }, unknown: false };

function fakeGate(verdict: Verdict, reports: Report[] = []) {
  const requests: GateRequest[] = [];
  const prepared: GatePreparation[] = [];
  const gate: Gate = {
    prepare: (preparation) => prepared.push(preparation),
    check: async (request) => {
      requests.push(request);
      return verdict;
    },
    finishRun: async () => reports,
  };
  return { gate, requests, prepared };
}

function args(type: string, config: Record<string, unknown>): ResourceValidationArgs {
  return {
    type,
    props: { ingress: [] },
    urn: `urn:pulumi:prod::shop::${type}::web`,
    name: 'web',
    getConfig: () => config,
  } as unknown as ResourceValidationArgs;
}

async function validate(policy: ResourceValidationPolicy, a: ResourceValidationArgs) {
  const reported: unknown[] = [];
  const fn = policy.validateResource;
  if (typeof fn !== 'function') throw new Error('expected one validation function');
  await fn(a, (v: unknown) => reported.push(v));
  return reported;
}

describe('buildPolicies', () => {
  it('makes one mandatory policy per rule, its config schema merged with the gate settings, and the run record', () => {
    const [policy, record] = buildPolicies(
      [rule(() => undefined)],
      fakeGate({ level: 'pass' }).gate,
    );
    expect(policy).toMatchObject({ name: 'test-open-port', enforcementLevel: 'mandatory' });
    const properties = (policy as ResourceValidationPolicy).configSchema?.properties ?? {};
    expect(Object.keys(properties)).toEqual(
      expect.arrayContaining(['port', 'serviceUrl', 'failMode', 'stacks']),
    );
    expect(record).toMatchObject({ name: RUN_RECORD_POLICY, enforcementLevel: 'mandatory' });
  });

  it('refuses a rule whose config keys belong to the gate', () => {
    const clashing = {
      ...rule(() => undefined),
      configSchema: { properties: { failMode: { type: 'string' } } },
    };
    expect(() =>
      buildPolicies([clashing as SensitiveRule], fakeGate({ level: 'pass' }).gate),
    ).toThrow(/failMode/);
  });

  it('skips other resource types and compliant states without asking the gate', async () => {
    const seen: PortConfig[] = [];
    const { gate, requests } = fakeGate({ level: 'mandatory', message: 'no' });
    const [policy] = buildPolicies([rule((_r, c) => (seen.push(c), undefined))], gate);
    expect(
      await validate(policy as ResourceValidationPolicy, args('aws:s3/bucket:Bucket', {})),
    ).toEqual([]);
    expect(await validate(policy as ResourceValidationPolicy, args(sgType, {}))).toEqual([]);
    expect(seen).toEqual([{ port: 22 }]);
    expect(requests).toEqual([]);
  });

  it('gives the rule only its own config, the gate the whole config, and reports the verdict', async () => {
    const seen: PortConfig[] = [];
    const { gate, requests } = fakeGate({ level: 'mandatory', message: 'needs approval' });
    const [policy] = buildPolicies([rule((_r, c) => (seen.push(c), open))], gate);
    const config = { port: 443, serviceUrl: 'http://x.test' };
    const reported = await validate(policy as ResourceValidationPolicy, args(sgType, config));
    expect(seen).toEqual([{ port: 443 }]);
    expect(requests[0]).toMatchObject({ policy: 'test-open-port', finding: open, config });
    expect(requests[0]?.resource).toMatchObject({ type: sgType, name: 'web' });
    expect(reported).toEqual([
      {
        message: 'An open port needs an approval.\nneeds approval',
        urn: `urn:pulumi:prod::shop::${sgType}::web`,
      },
    ]);
  });

  it('asks and reports each routed finding under its own policy name', async () => {
    const routed = {
      ...rule(() => undefined),
      detectRouted: () => [
        { policy: 'kms-no-rotation', finding: open },
        { policy: 'test-open-port', finding: open },
      ],
    };
    const { gate, requests } = fakeGate({ level: 'mandatory', message: 'needs approval' });
    const [policy] = buildPolicies([routed], gate);
    const reported = await validate(policy as ResourceValidationPolicy, args(sgType, {}));
    expect(requests.map((r) => r.policy)).toEqual(['kms-no-rotation', 'test-open-port']);
    expect(reported).toEqual([
      expect.objectContaining({ name: 'kms-no-rotation', message: expect.any(String) }),
      expect.not.objectContaining({ name: expect.anything() }),
    ]);
  });

  it('marks advisory verdicts advisory, and reports nothing for a pass', async () => {
    const [warned] = buildPolicies(
      [rule(() => open)],
      fakeGate({ level: 'advisory', message: 'later' }).gate,
    );
    expect(await validate(warned as ResourceValidationPolicy, args(sgType, {}))).toEqual([
      expect.objectContaining({ enforcementLevel: 'advisory' }),
    ]);
    const [passed] = buildPolicies([rule(() => open)], fakeGate({ level: 'pass' }).gate);
    expect(await validate(passed as ResourceValidationPolicy, args(sgType, {}))).toEqual([]);
  });

  it('turns an invalid rule config into a mandatory violation instead of a crash', async () => {
    const broken = rule(() => {
      throw new ClearanceError('ERR_CONFIG', 'port must be a number');
    });
    const [policy] = buildPolicies([broken], fakeGate({ level: 'pass' }).gate);
    const [report] = await validate(
      policy as ResourceValidationPolicy,
      args(sgType, { port: 'x' }),
    );
    expect(report).toMatchObject({
      message: expect.stringMatching(/policy config is invalid.*port must be a number/),
    });
    expect(report).not.toHaveProperty('enforcementLevel');
  });

  it('blocks, without failing the run, when the gate itself fails', async () => {
    const failing: Gate = {
      prepare: () => undefined,
      check: async () => {
        throw new TypeError('stack unknown');
      },
      finishRun: async () => [],
    };
    const [policy] = buildPolicies([rule(() => open)], failing);
    const [report] = await validate(policy as ResourceValidationPolicy, args(sgType, {}));
    expect(report).toMatchObject({
      message: expect.stringMatching(
        /approval gate failed, so the change is blocked: stack unknown/,
      ),
    });
    expect(report).not.toHaveProperty('enforcementLevel');
  });

  it('prepares the gate once, at the first resource of any type, with the policy config', async () => {
    const { gate, prepared, requests } = fakeGate({ level: 'pass' });
    const [policy] = buildPolicies([rule(() => open)], gate);
    const stack = 'pulumi:pulumi:Stack';
    await validate(
      policy as ResourceValidationPolicy,
      args(stack, { serviceUrl: 'https://c.test' }),
    );
    await vi.waitFor(() =>
      expect(prepared).toEqual([
        { policy: 'test-open-port', config: { serviceUrl: 'https://c.test' } },
      ]),
    );
    expect(requests).toEqual([]);
    await validate(policy as ResourceValidationPolicy, args(sgType, {}));
    await validate(policy as ResourceValidationPolicy, args(stack, {}));
    expect(prepared).toHaveLength(1);
    expect(requests).toHaveLength(1);
  });

  it('reports what the gate has to say at the end of the run', async () => {
    const reports: Report[] = [{ level: 'advisory', message: 'could not record' }];
    const policies = buildPolicies([], fakeGate({ level: 'pass' }, reports).gate);
    const record = policies[0] as StackValidationPolicy;
    const reported: unknown[] = [];
    await record.validateStack({} as never, (v: unknown) => reported.push(v));
    expect(reported).toEqual([
      expect.objectContaining({
        enforcementLevel: 'advisory',
        message: expect.stringMatching(/could not record$/),
      }),
    ]);
  });
});

describe('lazyGate', () => {
  it('loads the gate on the first check only, and finishes a run that never loaded it with nothing', async () => {
    let loads = 0;
    const gate = lazyGate(async () => {
      loads++;
      return fakeGate({ level: 'pass' }, [{ level: 'mandatory', message: 'x' }]).gate;
    });
    expect(await gate.finishRun()).toEqual([]);
    expect(loads).toBe(0);
    const request = { policy: 'p', resource: {} as ResourceInput, finding: open, config: {} };
    await Promise.all([gate.check(request), gate.check(request)]);
    expect(loads).toBe(1);
    expect(await gate.finishRun()).toHaveLength(1);
  });

  it('loads the gate to prepare it, and loads it again at the check if that load failed', async () => {
    const fake = fakeGate({ level: 'pass' });
    let loads = 0;
    const gate = lazyGate(async () => {
      if (loads++ === 0) throw new Error('not yet');
      return fake.gate;
    });
    gate.prepare({ policy: 'p', config: {} });
    await new Promise((r) => setTimeout(r, 0));
    expect(loads).toBe(1);
    const request = { policy: 'p', resource: {} as ResourceInput, finding: open, config: {} };
    expect(await gate.check(request)).toEqual({ level: 'pass' });
    gate.prepare({ policy: 'q', config: {} });
    await new Promise((r) => setTimeout(r, 0));
    expect(loads).toBe(2);
    expect(fake.prepared).toEqual([{ policy: 'q', config: {} }]);
  });
});
