import { describe, expect, it } from 'vitest';
import type { ApprovalsResponse } from '@clearance/client';
import { createMemoryStore } from '../store/memory-store.js';
import { appHarness, demoTokens, errorOf, requestBody } from './app-harness.case.js';

const stack = encodeURIComponent(requestBody.stack);

describe('GET /v1/approvals with the run asking', () => {
  it('answers a run that names itself as it answers anyone, and writes nothing', async () => {
    const h = await appHarness();
    const created = await h.json('POST', '/v1/requests', 'carol', requestBody);
    await h.json('POST', `/v1/requests/${created.id}/reviews`, 'alice', { decision: 'approve' });
    await h.json('POST', `/v1/requests/${created.id}/reviews`, 'bob', { decision: 'approve' });
    const before = await h.snapshot();
    const plain = await h.json<ApprovalsResponse>('GET', `/v1/approvals?stack=${stack}`, 'carol');
    for (const dryRun of ['true', 'false']) {
      const path = `/v1/approvals?stack=${stack}&run=run_42&dryRun=${dryRun}`;
      expect(await h.json<ApprovalsResponse>('GET', path, 'carol')).toEqual(plain);
    }
    expect(plain.approvals.map((a) => a.id)).toEqual([created.id]);
    expect(await h.snapshot()).toEqual(before);
  });

  it.each([
    ['&run=run_42', 'dryRun: run and dryRun name the run together: give both or neither'],
    ['&dryRun=true', 'run: run and dryRun name the run together: give both or neither'],
    ['&run=run_42&dryRun=yes', 'dryRun: expected true or false'],
    ['&run=&dryRun=true', 'run: Too small: expected string to have >=1 characters'],
    [
      `&run=${'r'.repeat(201)}&dryRun=true`,
      'run: Too big: expected string to have <=200 characters',
    ],
    ['&runId=run_42', 'runId: unknown field'],
  ])('refuses %s', async (query, message) => {
    const h = await appHarness();
    const res = await h.call('GET', `/v1/approvals?stack=${stack}${query}`, { as: 'carol' });
    expect(await errorOf(res)).toEqual({ status: 400, code: 'ERR_VALIDATION', message });
  });

  it('logs an unexpected failure with the run it came from', async () => {
    const store = createMemoryStore();
    const lines: string[] = [];
    const { app } = await appHarness(
      {},
      {
        store: { ...store, listFrozen: () => Promise.reject(new Error('disk on fire')) },
        log: (line) => lines.push(line),
      },
    );
    const headers = { authorization: `Bearer ${demoTokens.carol}` };
    const res = await app.request(`/v1/approvals?stack=${stack}&run=run_42&dryRun=true`, {
      headers,
    });
    expect(await errorOf(res)).toEqual({
      status: 500,
      code: 'ERR_INTERNAL',
      message: 'internal error',
    });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^internal error on GET \/v1\/approvals \(run "run_42", preview\): Error: disk on fire/,
    );
    await app.request(`/v1/approvals?stack=${stack}`, { headers });
    expect(lines[1]).toMatch(/^internal error on GET \/v1\/approvals: Error: disk on fire/);
  });
});
