import { describe, expect, it, vi } from 'vitest';
import type {
  ReportViolation,
  ResourceValidationArgs,
  ResourceValidationPolicy,
} from '@pulumi/policy';
import { SecretValue } from '@clearance/client';
import { createGate, type Gate, type GatePreparation, type GateRequest } from '../gate/gate.js';
import { engineProps, UNKNOWN_SENTINEL } from '../policies/fixtures/engine-props.js';
import { FakeService, run, tokenIssuer } from '../testing/index.js';
import { gateItem } from '../gate/gate-item.js';
import { mandatory, pass, type Verdict } from '../gate/verdict.js';
import { requireApproval } from './require-approval.js';

const bucketType = 'aws:s3/bucket:Bucket';
const urn = `urn:pulumi:prod::shop::${bucketType}::logs`;

/** A team's own policy, as any CrossGuard pack has them. */
const bucketLogging: ResourceValidationPolicy = {
  name: 'bucket-logging-on',
  description: 'Buckets log their access.',
  enforcementLevel: 'mandatory',
  configSchema: { properties: { minTargets: { type: 'integer' } } },
  validateResource: (args, report) => {
    const loggings = (args.props as { loggings?: unknown[] }).loggings;
    if (args.type === bucketType && (loggings ?? []).length === 0) {
      report('Bucket logging must be defined.');
    }
  },
};

/** The compliant baseline: a bucket that logs. */
const baseline = (): Record<string, unknown> => ({
  bucket: 'logs-1a2b3c4',
  loggings: [{ targetBucket: 'audit' }],
  tags: { env: 'prod' },
});

const withoutLogging = (change: Record<string, unknown> = {}) => ({
  ...baseline(),
  loggings: [],
  ...change,
});

function args(props: Record<string, unknown>): ResourceValidationArgs {
  return {
    type: bucketType,
    props,
    urn,
    name: 'logs',
    getConfig: () => ({}),
  } as unknown as ResourceValidationArgs;
}

async function validate(policy: ResourceValidationPolicy, props: Record<string, unknown>) {
  const reported: { message: string; urn?: string; enforcementLevel?: string }[] = [];
  const report = (v: string | { message: string }, u?: string) =>
    reported.push(typeof v === 'string' ? { message: v, ...(u ? { urn: u } : {}) } : v);
  const fns = policy.validateResource;
  for (const fn of Array.isArray(fns) ? fns : fns ? [fns] : []) {
    await fn(args(props), report as unknown as ReportViolation);
  }
  return reported;
}

function fakeGate(verdict: Verdict = pass) {
  const requests: GateRequest[] = [];
  const prepared: GatePreparation[] = [];
  const gate: Gate = {
    prepare: (preparation) => prepared.push(preparation),
    check: async (request) => {
      requests.push(request);
      return verdict;
    },
    finishRun: async () => [],
  };
  return { gate, requests, prepared };
}

/** The real gate against an in-memory service, on the fixtures' run (acme/shop/prod). */
async function realGate(ctx = run) {
  const issuer = await tokenIssuer();
  const service = new FakeService();
  service.keys = issuer.jwks();
  const gate = createGate({
    env: { CLEARANCE_URL: 'https://clearance.test', CLEARANCE_TOKEN: 'api-token' },
    runContext: async () => ctx,
    clock: issuer.clock,
    makeService: () => service,
    batchWindowMs: 0,
  });
  return { gate, service, issuer };
}

describe('requireApproval, on a compliant baseline and one field changed', () => {
  it('the baseline is compliant: nothing reported, the gate only prepared, once', async () => {
    const { gate, requests, prepared } = fakeGate();
    const policy = requireApproval(bucketLogging, { gate });
    expect(await validate(policy, baseline())).toEqual([]);
    expect(await validate(policy, baseline())).toEqual([]);
    expect(requests).toEqual([]);
    await vi.waitFor(() => expect(prepared).toEqual([{ policy: 'bucket-logging-on', config: {} }]));
  });

  it('a violation asks the gate under the inner policy name, with all inputs as material', async () => {
    const { gate, requests } = fakeGate();
    expect(await validate(requireApproval(bucketLogging, { gate }), withoutLogging())).toEqual([]);
    expect(requests).toEqual([
      {
        policy: 'bucket-logging-on',
        resource: { type: bucketType, urn, name: 'logs', props: withoutLogging() },
        finding: {
          summary: 'Bucket logging must be defined',
          material: { inputs: withoutLogging() },
          unknown: false,
        },
        config: {},
      },
    ]);
  });

  it('values under secret-looking keys enter the material as a hash', async () => {
    const { gate, requests } = fakeGate();
    await validate(
      requireApproval(bucketLogging, { gate }),
      withoutLogging({ sse: { apiKey: 'k-123' } }),
    );
    const inputs = requests[0]?.finding.material.inputs as { sse: { apiKey: unknown } };
    expect(inputs.sse.apiKey).toBeInstanceOf(SecretValue);
  });

  it('an input unknown at preview makes the finding unknown ("checked at update")', async () => {
    const { gate, requests } = fakeGate();
    await validate(
      requireApproval(bucketLogging, { gate }),
      engineProps(withoutLogging({ tags: UNKNOWN_SENTINEL })) as Record<string, unknown>,
    );
    expect(requests[0]?.finding.unknown).toBe(true);
  });

  it('keeps the name, description, enforcement level and config schema', () => {
    const wrapped = requireApproval(bucketLogging, fakeGate());
    expect(wrapped).toMatchObject({
      name: 'bucket-logging-on',
      description: 'Buckets log their access.',
      enforcementLevel: 'mandatory',
      configSchema: bucketLogging.configSchema,
    });
    const { enforcementLevel: _level, ...levelless } = bucketLogging;
    const inherits = requireApproval(levelless, fakeGate());
    expect(inherits.enforcementLevel).toBeUndefined();
  });

  it('advisory stays advisory: an advisory or disabled policy is returned as it is', () => {
    const advisory = { ...bucketLogging, enforcementLevel: 'advisory' as const };
    const disabled = { ...bucketLogging, enforcementLevel: 'disabled' as const };
    expect(requireApproval(advisory, fakeGate())).toBe(advisory);
    expect(requireApproval(disabled, fakeGate())).toBe(disabled);
  });

  it('a violation reported as advisory, or about another resource, is passed on, not gated', async () => {
    const { gate, requests } = fakeGate();
    const other = 'urn:pulumi:prod::shop::aws:s3/bucket:Bucket::other';
    const mixed: ResourceValidationPolicy = {
      ...bucketLogging,
      validateResource: [
        (_a, report) => report({ message: 'consider tags', enforcementLevel: 'advisory' } as never),
        (_a, report) => report('the other bucket', other),
      ],
    };
    expect(await validate(requireApproval(mixed, { gate }), baseline())).toEqual([
      { message: 'consider tags', enforcementLevel: 'advisory' },
      { message: 'the other bucket', urn: other },
    ]);
    expect(requests).toEqual([]);
  });

  it('runs every validation of an array and asks once, with all their messages', async () => {
    const { gate, requests } = fakeGate();
    const two: ResourceValidationPolicy = {
      ...bucketLogging,
      validateResource: [bucketLogging.validateResource as never, (_a, r) => r('Tag owner.')],
    };
    await validate(requireApproval(two, { gate }), withoutLogging());
    expect(requests.map((r) => r.finding.summary)).toEqual([
      'Bucket logging must be defined; Tag owner',
    ]);
  });

  it('a failing gate blocks with the reason', async () => {
    const gate: Gate = {
      prepare: () => undefined,
      check: async () => {
        throw new Error('boom');
      },
      finishRun: async () => [],
    };
    const [reported] = await validate(requireApproval(bucketLogging, { gate }), withoutLogging());
    expect(reported?.message).toContain('bucket-logging-on: the approval gate failed');
    expect(reported?.enforcementLevel).toBeUndefined();
  });

  it('a mandatory verdict is reported with the policy description, at the policy level', async () => {
    const { gate } = fakeGate(mandatory('needs an approval: http://clearance.test/requests/r1'));
    expect(await validate(requireApproval(bucketLogging, { gate }), withoutLogging())).toEqual([
      {
        message: 'Buckets log their access.\nneeds an approval: http://clearance.test/requests/r1',
        urn,
      },
    ]);
  });
});

describe('requireApproval through the gate', () => {
  it('not approved: the inner message with the approval link; the request is bound to the stack and the inner policy', async () => {
    const { gate, service } = await realGate();
    const [reported, ...rest] = await validate(
      requireApproval(bucketLogging, { gate }),
      withoutLogging(),
    );
    expect(rest).toEqual([]);
    expect(reported?.message).toContain('Bucket logging must be defined');
    expect(reported?.message).toContain('http://clearance.test/requests/req_1');
    const created = service.calls.find((c) => c.method === 'createRequest')?.body;
    expect(created).toMatchObject({ stack: 'acme/shop/prod', urn, policy: 'bucket-logging-on' });
  });

  it('each input, the policy name and the stack change the fingerprint', async () => {
    const fingerprintOf = async (
      props: Record<string, unknown>,
      policy = bucketLogging,
      ctx = run,
    ) => {
      const { gate, service } = await realGate(ctx);
      await validate(requireApproval(policy, { gate }), props);
      const body = service.calls.find((c) => c.method === 'createRequest')?.body;
      return (body as { fingerprint: string }).fingerprint;
    };
    const base = await fingerprintOf(withoutLogging());
    expect(await fingerprintOf(withoutLogging())).toBe(base);
    expect(await fingerprintOf(withoutLogging({ tags: { env: 'dev' } }))).not.toBe(base);
    expect(await fingerprintOf(withoutLogging({ acl: 'private' }))).not.toBe(base);
    expect(
      await fingerprintOf(withoutLogging(), { ...bucketLogging, name: 'other-policy' }),
    ).not.toBe(base);
    expect(
      await fingerprintOf(withoutLogging(), bucketLogging, {
        ...run,
        stack: 'staging',
        stackName: 'acme/shop/staging',
      }),
    ).not.toBe(base);
  });

  it('approved: the violation is dropped and the run records the exception', async () => {
    const { gate, service, issuer } = await realGate();
    const props = withoutLogging();
    const finding = {
      summary: 'Bucket logging must be defined',
      material: { inputs: props },
      unknown: false,
    };
    const resource = { type: bucketType, urn, name: 'logs', props };
    const { binding } = gateItem(run, 'bucket-logging-on', resource, finding);
    const token = await issuer.issue(binding, { rid: 'req_exception' });
    service.approvalsList.push({ id: 'req_exception', ...binding, token, expiresAt: '' });

    expect(await validate(requireApproval(bucketLogging, { gate }), props)).toEqual([]);
    expect(await gate.finishRun()).toEqual([]);
    const record = service.calls.find((c) => c.method === 'reportRun')?.body;
    expect(record).toMatchObject({ stack: 'acme/shop/prod', used: ['req_exception'] });

    const changed = withoutLogging({ tags: { env: 'prod', owner: 'me' } });
    const [blocked] = await validate(requireApproval(bucketLogging, { gate }), changed);
    expect(blocked?.message).toContain('Bucket logging must be defined');
  });
});
