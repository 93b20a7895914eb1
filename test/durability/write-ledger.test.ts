import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '@clearance/approval-service/testing';
import { runWorkload, seededRandom, workloadConfigYaml, workloadTokens } from './crash-workload.js';
import { WriteLedger } from './write-ledger.js';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({ config: workloadConfigYaml(), prefix: 'clearance-ledger-' });
});
afterAll(() => server.close());

describe('the crash workload and its ledger', () => {
  it('has every operation acknowledged when nothing is killed, and finds each one', async () => {
    const ledger = new WriteLedger();
    const counts = await runWorkload({
      url: server.url,
      operations: 60,
      random: seededRandom(7),
      ledger,
      tag: 'ledger',
      stopped: () => false,
    });
    expect(counts).toEqual({ sent: 60, answered: 60, acknowledged: 60 });
    const kinds = ledger.counts();
    expect(kinds.create).toBeGreaterThan(0);
    expect(kinds.review).toBeGreaterThan(0);
    expect(kinds.create + kinds.review + kinds.revoke + kinds.reopen).toBe(60);
    expect(await ledger.missing(server.url, workloadTokens.alice)).toEqual([]);
  });

  it('names each acknowledged write the service does not hold', async () => {
    const ledger = new WriteLedger();
    await runWorkload({
      url: server.url,
      operations: 1,
      random: seededRandom(1),
      ledger,
      tag: 'one',
      stopped: () => false,
    });
    expect(ledger.counts()).toEqual({ create: 1, review: 0, revoke: 0, reopen: 0 });
    expect(await ledger.missing(server.url, workloadTokens.alice)).toEqual([]);
    const { requests } = (await (
      await fetch(`${server.url}/v1/requests`, {
        headers: { authorization: `Bearer ${workloadTokens.alice}` },
      })
    ).json()) as { requests: { id: string; urn: string }[] };
    const id = requests.find((r) => r.urn.endsWith('::one-0'))?.id ?? '';
    ledger.record({ kind: 'review', id, by: 'dave', decision: 'approve' });
    ledger.record({ kind: 'revoke', id, by: 'carol' });
    ledger.record({ kind: 'reopen', id, by: 'bob' });
    ledger.record({ kind: 'create', id: 'req-gone', by: 'carol', urn: 'urn:x' });
    expect(await ledger.missing(server.url, workloadTokens.alice)).toEqual([
      `review (approve) of ${id} by dave: the review is not in the request; no review.approve entry in the audit trail`,
      `revoke of ${id} by carol: the request is pending, not revoked by carol; no request.revoked entry in the audit trail`,
      `reopen of ${id} by bob: the request is not reopened; no request.reopened entry in the audit trail`,
      'create of req-gone by carol: the request is gone; no request.created entry in the audit trail',
    ]);
  });
});
