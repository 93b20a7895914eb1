import { describe, expect, it } from 'vitest';
import { ClearanceClient, isClearanceError } from '@clearance/client';
import { runPreviewGate, type GateClient, type StepVerdict } from './index.js';
import { gateStack, gateTestService, previewFixture } from './test-service.case.js';

const deleteDb = previewFixture('delete-database.json');
const replaceDb = previewFixture('replace-database.json');
const run = { id: 'ci-run-1', dryRun: true };
const requestIdOf = (verdict?: StepVerdict): string =>
  verdict && 'requestId' in verdict ? verdict.requestId : '';

describe('runPreviewGate against the service', () => {
  it('blocks a delete, opening one request with a console link, then lets it through once approved', async () => {
    const svc = await gateTestService();
    const ci = svc.client('carol');
    const first = await runPreviewGate(
      deleteDb,
      { stack: gateStack, run, reason: 'retiring orders', clock: svc.clock },
      ci,
    );
    expect(first.code).toBe(1);
    const [verdict] = first.verdicts;
    if (verdict?.status !== 'pending') throw new Error(`expected pending, got ${verdict?.status}`);
    expect(verdict.created).toBe(true);
    expect(verdict.url).toBe(`https://clearance.example.com/requests/${verdict.requestId}`);
    expect(first.report).toContain('BLOCKED delete  aws:rds/instance:Instance "orders"');
    expect(first.report).toContain(`approval requested (0 of 1`);
    expect(first.report).toContain(verdict.url);
    expect(first.report).toContain('1 of 1 need approval: the deployment must not go ahead.');

    const [request] = await ci.listRequests({ stack: gateStack });
    expect(request).toMatchObject({
      id: verdict.requestId,
      policy: 'pulumi-delete-replace',
      type: 'aws:rds/instance:Instance',
      summary: 'Delete aws:rds/instance:Instance "orders" (id orders-764e1e58)',
      reason: 'retiring orders',
      material: { operation: 'delete', id: 'orders-764e1e58' },
      requester: 'carol',
    });

    const again = await runPreviewGate(deleteDb, { stack: gateStack, clock: svc.clock }, ci);
    expect(again.verdicts[0]).toMatchObject({
      status: 'pending',
      requestId: verdict.requestId,
      created: false,
    });
    expect(again.report).toContain('awaiting approval');
    expect(await ci.listRequests({ stack: gateStack })).toHaveLength(1);

    await svc
      .client('alice')
      .review(verdict.requestId, { decision: 'approve', reason: 'snapshot taken' });
    const approved = await runPreviewGate(deleteDb, { stack: gateStack, clock: svc.clock }, ci);
    expect(approved.code).toBe(0);
    expect(approved.report).toContain('ok      delete  aws:rds/instance:Instance "orders"');
    expect(approved.report).toContain('approved until 2026-01-05T11:00:00.000Z');
    expect(approved.report).toContain('All 1 approved.');
  });

  it('does not let the approval of a delete cover a replacement', async () => {
    const svc = await gateTestService();
    const ci = svc.client('carol');
    const first = await runPreviewGate(deleteDb, { stack: gateStack, clock: svc.clock }, ci);
    await svc.client('alice').review(requestIdOf(first.verdicts[0]), { decision: 'approve' });
    const replaced = await runPreviewGate(replaceDb, { stack: gateStack, clock: svc.clock }, ci);
    expect(replaced.code).toBe(1);
    expect(replaced.verdicts[0]).toMatchObject({ status: 'pending', created: true });
  });

  it('lets an approved replacement through whether or not the preview shows its three steps', async () => {
    const svc = await gateTestService();
    const ci = svc.client('carol');
    const first = await runPreviewGate(replaceDb, { stack: gateStack, clock: svc.clock }, ci);
    await svc.client('bob').review(requestIdOf(first.verdicts[0]), { decision: 'approve' });
    const shown = await runPreviewGate(
      previewFixture('replace-database-steps.json'),
      { stack: gateStack, clock: svc.clock },
      ci,
    );
    expect(shown.code).toBe(0);
  });

  it('reports a denial with who denied and why, and opens no new request', async () => {
    const svc = await gateTestService();
    const ci = svc.client('carol');
    const first = await runPreviewGate(deleteDb, { stack: gateStack, clock: svc.clock }, ci);
    await svc
      .client('bob')
      .review(requestIdOf(first.verdicts[0]), { decision: 'deny', reason: 'still in use' });
    const denied = await runPreviewGate(deleteDb, { stack: gateStack, clock: svc.clock }, ci);
    expect(denied.code).toBe(1);
    expect(denied.report).toContain('denied by bob: "still in use"');
    expect(await ci.listRequests({ stack: gateStack })).toHaveLength(1);
  });

  it('asks again once the approval has expired', async () => {
    const svc = await gateTestService();
    const ci = svc.client('carol');
    const first = await runPreviewGate(deleteDb, { stack: gateStack, clock: svc.clock }, ci);
    await svc.client('alice').review(requestIdOf(first.verdicts[0]), { decision: 'approve' });
    svc.clock.advanceSeconds(3601);
    const later = await runPreviewGate(deleteDb, { stack: gateStack, clock: svc.clock }, ci);
    expect(later.code).toBe(1);
    expect(later.verdicts[0]).toMatchObject({ status: 'pending', created: true });
    expect(requestIdOf(later.verdicts[0])).not.toBe(requestIdOf(first.verdicts[0]));
  });

  it('opens the request with the preview’s states before and after, for the console', async () => {
    const svc = await gateTestService();
    const ci = svc.client('carol');
    const result = await runPreviewGate(
      previewFixture('replace-database.json'),
      { stack: gateStack, clock: svc.clock },
      ci,
    );
    const request = await svc.client('alice').getRequest(requestIdOf(result.verdicts[0]));
    expect(request.previewStates?.before).toMatchObject({ engine: 'postgres' });
    expect(request.previewStates?.after).toMatchObject({ engine: 'aurora-postgresql' });
  });

  it('asks nothing of the service when nothing is gated', async () => {
    const svc = await gateTestService();
    const result = await runPreviewGate(
      previewFixture('update-only.json'),
      { stack: gateStack },
      svc.client('carol'),
    );
    expect(result).toMatchObject({ code: 0, verdicts: [] });
    expect(result.report).toBe(
      'No delete or replacement of a gated resource type in the preview of acme/aws-prod-database/prod.\n',
    );
    expect(svc.calls()).toBe(0);
  });

  it('refuses an approval whose token does not verify', async () => {
    const svc = await gateTestService();
    const ci = svc.client('carol');
    const first = await runPreviewGate(deleteDb, { stack: gateStack, clock: svc.clock }, ci);
    await svc.client('alice').review(requestIdOf(first.verdicts[0]), { decision: 'approve' });
    const other = await gateTestService();
    const strangeKeys: GateClient = {
      checks: (b) => ci.checks(b),
      createRequest: (b) => ci.createRequest(b),
      jwks: () => other.client('carol').jwks(),
    };
    const result = await runPreviewGate(
      deleteDb,
      { stack: gateStack, clock: svc.clock },
      strangeKeys,
    );
    expect(result.code).toBe(1);
    expect(result.verdicts[0]).toMatchObject({ status: 'invalid' });
    expect(result.report).toContain('does not hold: the approval token is invalid');
  });
});

describe('runPreviewGate with pinned keys', () => {
  it('refuses the approvals of a service whose key is not pinned, though it serves that key', async () => {
    const real = await gateTestService();
    const pins = { jwks: await real.client('carol').jwks() };
    const impostor = await gateTestService();
    const ci = impostor.client('carol');
    const first = await runPreviewGate(deleteDb, { stack: gateStack, clock: impostor.clock }, ci);
    await impostor.client('alice').review(requestIdOf(first.verdicts[0]), { decision: 'approve' });
    const unpinned = await runPreviewGate(
      deleteDb,
      { stack: gateStack, clock: impostor.clock },
      ci,
    );
    expect(unpinned.code).toBe(0);
    const pinned = await runPreviewGate(
      deleteDb,
      { stack: gateStack, clock: impostor.clock, pins },
      ci,
    );
    expect(pinned.code).toBe(1);
    expect(pinned.verdicts[0]).toMatchObject({ status: 'invalid' });
    expect(pinned.report).toContain('the approval token is signed by a key that is not pinned');
  });

  it('passes the approvals of the service whose key is pinned, by key set or thumbprint', async () => {
    const svc = await gateTestService();
    const ci = svc.client('carol');
    const first = await runPreviewGate(deleteDb, { stack: gateStack, clock: svc.clock }, ci);
    await svc.client('alice').review(requestIdOf(first.verdicts[0]), { decision: 'approve' });
    const jwks = await ci.jwks();
    const thumbprints = jwks.keys.map((k) => k.kid ?? '');
    for (const pins of [{ jwks }, { thumbprints }]) {
      const result = await runPreviewGate(
        deleteDb,
        { stack: gateStack, clock: svc.clock, pins },
        ci,
      );
      expect({ pins, code: result.code }).toEqual({ pins, code: 0 });
    }
  });
});

describe('runPreviewGate fails closed', () => {
  it('blocks every gated step when the service is unreachable', async () => {
    const down = new ClearanceClient({
      url: 'http://127.0.0.1:9',
      token: 't',
      fetch: async () => {
        throw new TypeError('fetch failed');
      },
    });
    const result = await runPreviewGate(deleteDb, { stack: gateStack }, down);
    expect(result.code).toBe(1);
    expect(result.report).toContain('BLOCKED delete  aws:rds/instance:Instance "orders"');
    expect(result.report).toContain(
      'could not be asked (the approval service at http://127.0.0.1:9 is unreachable [ERR_UNREACHABLE])',
    );
  });

  it('refuses to judge a preview that failed', async () => {
    const svc = await gateTestService();
    const error = await runPreviewGate(
      previewFixture('failed-preview.json'),
      { stack: gateStack },
      svc.client('carol'),
    ).catch((e: unknown) => e);
    expect(isClearanceError(error, 'ERR_VALIDATION')).toBe(true);
    expect(String(error)).toContain('the preview itself failed');
  });
});

describe('runPreviewGate offline', () => {
  it('accepts only a handed-in token bound to the step, verified against pinned keys', async () => {
    const svc = await gateTestService();
    const ci = svc.client('carol');
    const first = await runPreviewGate(deleteDb, { stack: gateStack, clock: svc.clock }, ci);
    const view = await svc
      .client('alice')
      .review(requestIdOf(first.verdicts[0]), { decision: 'approve' });
    const jwks = await ci.jwks();
    const token = view.token ?? '';
    const offline = (tokens: string[], text = deleteDb) =>
      runPreviewGate(text, { stack: gateStack, clock: svc.clock, offline: { tokens, jwks } });
    expect((await offline([token])).code).toBe(0);
    const none = await offline([]);
    expect(none.code).toBe(1);
    expect(none.report).toContain('no approval token for it was handed in');
    expect((await offline([token], replaceDb)).code).toBe(1);
  });
});
