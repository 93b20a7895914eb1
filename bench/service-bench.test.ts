import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClearanceClient } from '@clearance/client';
import { startTestServer, type TestServer } from '@clearance/approval-service/testing';
import { bareApp } from './bare-server.js';
import {
  benchConfigYaml,
  benchItem,
  benchStack,
  benchTokens,
  flowRequestBody,
} from './service-bench-fixture.js';
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
  it('puts each scenario beside its bare baseline, with the spread of the pair ratios', () => {
    const sp = (median: number, min = median, max = median) => ({ median, min, max });
    const scenario = {
      connections: 10,
      pairs: 5,
      latencyP50Ms: 1,
      latencyP99Ms: 2,
      failed: 0,
      runs: [],
    };
    const result: ServiceBenchResult = {
      environment: { node: 'v20', platform: 'linux', cpus: 2, loadAverage: [1, 1, 1] },
      seed: { approvedRequests: 5000, seconds: 3 },
      scenarios: [
        {
          ...scenario,
          name: 'checks',
          service: sp(2_500),
          bare: sp(3_000),
          ratio: sp(0.83, 0.8, 0.9),
          aim: 0.8,
          itemsPerSecond: 250_000,
        },
        {
          ...scenario,
          name: 'flow',
          service: sp(300),
          bare: sp(1_000),
          ratio: sp(0.3),
          flowsPerSecond: 100,
        },
      ],
    };
    const lines = formatServiceBench(result).split('\n');
    expect(lines[0]).toMatch(
      /^scenario\s+conns\s+req\/s\s+bare req\/s\s+vs bare\s+aim\s+items\/s\s+flows\/s\s+p50 ms\s+failed$/,
    );
    expect(lines[2]).toMatch(
      /^checks\s+10\s+2,500\.0\s+3,000\.0\s+0\.83 \(0\.80–0\.90\)\s+≥ 0\.8\s+250,000\s+1\.0\s+0$/,
    );
    expect(lines[3]).toMatch(
      /^flow\s+10\s+300\.0\s+1,000\.0\s+0\.30 \(0\.30–0\.30\)\s+100\.0\s+1\.0\s+0$/,
    );
  });
});

describe('the bare baseline', () => {
  it("answers a check with the service's answers and appends one line per write", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'clearance-bare-'));
    try {
      const client = new ClearanceClient({ url: server.url, token: benchTokens.carol });
      const item = benchItem(1);
      const [answer] = (await client.checks({ stack: benchStack, items: [item] })).results;
      const journal = join(dir, 'journal.jsonl');
      const { app, journal: handle } = await bareApp(
        { checks: new Map([[item.urn, answer!]]), requestBytes: 300, reviewBytes: 200 },
        journal,
      );
      try {
        const post = (path: string, body: unknown) =>
          app.request(path, { method: 'POST', body: JSON.stringify(body) });
        const checked = await post('/v1/checks', { stack: benchStack, items: [item] });
        expect(await checked.json()).toEqual({ results: [answer] });
        const created = await post('/v1/requests', flowRequestBody(1));
        expect(created.status).toBe(201);
        expect((await created.text()).length).toBe(300);
        const reviewed = await post('/v1/requests/x/reviews', { decision: 'approve' });
        expect((await reviewed.json()) as unknown).toMatchObject({ status: 'approved' });
        expect((await readFile(journal, 'utf8')).trim().split('\n')).toHaveLength(2);
      } finally {
        await handle.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
