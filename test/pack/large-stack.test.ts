import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syntheticStack } from '../../bench/synthetic-stack.js';
import { runEngine, type StackRef } from '../engine/index.js';
import { buildPackCopy, type BuiltPack } from './built-pack.js';
import { mandatory, packBindings, seedApprovals, serviceEnv } from './pack-fixtures.js';
import { startTestService, type TestService } from './test-service.js';

let pack: BuiltPack;
let svc: TestService;

beforeAll(async () => {
  [pack, svc] = await Promise.all([buildPackCopy(), startTestService({ memoryStore: true })]);
});

afterAll(async () => {
  await svc?.close();
  await pack?.remove();
});

const stack: StackRef = { org: 'acme', project: 'platform', stack: 'prod' };

describe('a large stack', { timeout: 300_000 }, () => {
  it('5,000 resources, 10% sensitive and all approved: at most 2 requests to the service', async () => {
    const resources = syntheticStack(5000, 0.1);
    const bindings = packBindings(stack, resources);
    expect(bindings).toHaveLength(500);
    const approved = await seedApprovals(svc, bindings);
    const before = svc.seen.length;
    const result = await runEngine({
      packDir: pack.dir,
      stack,
      dryRun: false,
      env: serviceEnv(svc),
      resources,
      concurrency: 8,
    });
    const seen = svc.seen.slice(before);
    expect(mandatory(result.diagnostics)).toEqual([]);
    expect(seen).toEqual([
      { method: 'GET', path: '/v1/approvals' },
      { method: 'POST', path: '/v1/runs' },
    ]);
    const query = Object.fromEntries(svc.queries[before] ?? []);
    expect(query).toEqual({
      stack: 'acme/platform/prod',
      run: expect.any(String),
      dryRun: 'false',
    });
    const used = await svc.service.readAudit({ action: 'run.used' });
    expect(new Set(used.map((e) => e.subject))).toEqual(new Set(approved));
    // The fetch names the same run as the report of what it used.
    expect(new Set(used.map((e) => e.data?.runId))).toEqual(new Set([query.run]));
  });
});
