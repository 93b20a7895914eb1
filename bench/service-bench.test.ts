import autocannon from 'autocannon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClearanceClient } from '@clearance/client';
import { startTestServer, type TestServer } from '@clearance/approval-service/testing';
import { benchConfigYaml, benchStack, benchTokens } from './service-bench-fixture.js';
import { flowOptions, formatServiceBench, type ServiceBenchResult } from './service-bench.js';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({ config: benchConfigYaml(), prefix: 'clearance-bench-test-' });
});
afterAll(() => server.close());

describe('the request+approve flow load', () => {
  it('counts one flow per request and two approvals, each ending approved', async () => {
    let flows = 0;
    const result = await autocannon({
      ...flowOptions(server.url, 1, () => (flows += 1)),
      amount: 9,
    });
    expect(result.non2xx).toBe(0);
    expect(flows).toBe(3);
    const client = new ClearanceClient({ url: server.url, token: benchTokens.carol });
    const approved = await client.listRequests({ stack: benchStack, status: 'approved' });
    expect(approved).toHaveLength(3);
    for (const request of approved)
      expect(request.reviews.map((r) => r.reviewer)).toEqual(['alice', 'bob']);
  });
});

describe('formatServiceBench', () => {
  it('puts each scenario beside the bare endpoint as a ratio', () => {
    const base = {
      p50: 1,
      p99: 2,
      requests: 10,
      non2xx: 0,
      errors: 0,
      seconds: 5,
      connections: 10,
    };
    const m = (name: string, rps: number) => ({
      name,
      requestsPerSecond: rps,
      latencyP50Ms: base.p50,
      latencyP99Ms: base.p99,
      requests: base.requests,
      non2xx: 0,
      errors: 0,
      seconds: 5,
      connections: 10,
    });
    const result: ServiceBenchResult = {
      environment: { node: 'v20', platform: 'linux', cpus: 2 },
      seed: { approvedRequests: 5000, seconds: 3 },
      bare: m('bare', 10_000),
      scenarios: [
        { ...m('checks', 2_500), ratio: 0.25, itemsPerSecond: 250_000 },
        { ...m('flow', 300), ratio: 0.03, flowsPerSecond: 100 },
      ],
    };
    const lines = formatServiceBench(result).split('\n');
    expect(lines[0]).toMatch(
      /^scenario\s+conns\s+req\/s\s+items\/s\s+flows\/s\s+p50 ms\s+p99 ms\s+vs bare\s+failed$/,
    );
    expect(lines[2]).toMatch(/^bare\s+10\s+10,000\.0\s+1\.0\s+2\.0\s+1\.00\s+0$/);
    expect(lines[3]).toMatch(/^checks\s+10\s+2,500\.0\s+250,000\s+1\.0\s+2\.0\s+0\.250\s+0$/);
    expect(lines[4]).toMatch(/^flow\s+10\s+300\.0\s+100\.0\s+1\.0\s+2\.0\s+0\.0300\s+0$/);
  });
});
