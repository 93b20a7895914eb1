import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startReceiver } from '@clearance/approval-service/testing';
import { verifyWebhook } from '@clearance/approval-service';
import { E2E_START, exampleRules, startE2eService, type E2eService } from './e2e-service.js';
import { deployExample, type ExampleStack } from './example-deploy.js';
import { blocking, requestLinks } from './example-run.js';

const example: ExampleStack = {
  org: 'acme',
  project: 'aws-temporary-ssh',
  stack: 'prod',
  config: { 'aws-temporary-ssh:vpcId': 'vpc-0abc' },
  temporary: 'debug-ssh',
};
const ruleUrn =
  'urn:pulumi:prod::aws-temporary-ssh::aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule::debug-ssh';
const hookSecret = 'e2e-pipeline-trigger-secret-0123456789';
let svc: E2eService;
/** Stands for the CI pipeline trigger that the service calls when an approval ends. */
let trigger: Awaited<ReturnType<typeof startReceiver>>;

beforeAll(async () => {
  trigger = await startReceiver();
  vi.stubEnv('E2E_TRIGGER_SECRET', hookSecret);
  svc = await startE2eService(await exampleRules('aws-temporary-ssh'), {
    notifications: {
      webhooks: [
        {
          name: 'pipeline',
          format: 'json',
          url: trigger.url,
          secretEnv: 'E2E_TRIGGER_SECRET',
          events: ['request.expired', 'request.revoked'],
        },
      ],
      retry: { attempts: 1 },
    },
  });
});
afterAll(async () => {
  await svc.close();
  await trigger.close();
  vi.unstubAllEnvs();
});

const deploy = (dryRun: boolean, requested: boolean) =>
  deployExample(svc, example, { dryRun, requested });
const at = (iso: string) => svc.clock.set(new Date(iso).getTime());

describe('aws-temporary-ssh end to end', () => {
  let requestId = '';

  it('blocks the requested SSH rule at preview and at update, with one request and its console link', async () => {
    const preview = await deploy(true, true);
    expect(preview.blocked).toHaveLength(1);
    expect(preview.blocked[0]).toMatchObject({
      policyName: 'aws-security-group-open-ingress',
      urn: ruleUrn,
    });
    const [id] = requestLinks(preview.blocked, svc.server.consoleUrl);
    expect(id).toBeDefined();
    requestId = id as string;

    const update = await deploy(false, true);
    expect(requestLinks(blocking(update.blocked), svc.server.consoleUrl)).toEqual([requestId]);
    const pending = await svc
      .client('alice')
      .listRequests({ stack: 'acme/aws-temporary-ssh/prod' });
    expect(pending.map((r) => [r.id, r.status])).toEqual([[requestId, 'pending']]);
  }, 120_000);

  it('passes once a platform engineer approves through the API, in business hours, for one hour', async () => {
    const approved = await svc
      .client('alice')
      .review(requestId, { decision: 'approve', reason: 'incident 4711' });
    expect(approved.expiresAt).toBe(new Date(E2E_START.getTime() + 3600 * 1000).toISOString());
    const preview = await deploy(true, false);
    expect(preview.resources.map((r) => r.urn)).toContain(ruleUrn);
    expect(preview.blocked).toEqual([]);
    const update = await deploy(false, false);
    expect(update.blocked).toEqual([]);
  }, 120_000);

  it('after the hour, calls the pipeline trigger, whose update drops the rule; declared again, it is blocked', async () => {
    svc.clock.set(E2E_START.getTime() + 3601 * 1000);
    // The service's sweep (run on an interval) finds the approval expired and calls the trigger.
    await svc.server.services.requests.expireDue();
    await vi.waitFor(() => expect(trigger.received).toHaveLength(1), { timeout: 10_000 });
    const [call] = trigger.received;
    const verdict = verifyWebhook({
      secret: hookSecret,
      body: call?.body ?? '',
      timestamp: call?.headers['x-clearance-timestamp'] as string,
      signature: call?.headers['x-clearance-signature'] as string,
      now: svc.clock.now(),
    });
    expect(verdict).toEqual({ ok: true });
    expect(JSON.parse(call?.body ?? '{}')).toMatchObject({
      type: 'request.expired',
      request: { id: requestId, status: 'expired', stack: 'acme/aws-temporary-ssh/prod' },
    });

    // The pipeline it starts: an update without CLEARANCE_REQUEST.
    const scheduled = await deploy(false, false);
    expect(scheduled.resources.map((r) => r.urn)).not.toContain(ruleUrn);
    expect(scheduled.blocked).toEqual([]);

    const again = await deploy(true, true);
    expect(again.blocked).toHaveLength(1);
    expect(again.blocked[0]?.message).toContain('expired');
    // The message links the expired approval and the new request it opened.
    const links = requestLinks(again.blocked, svc.server.consoleUrl);
    expect(links).toContain(requestId);
    expect(links.filter((id) => id !== requestId)).toHaveLength(1);
  }, 120_000);

  it('holds only in business hours: no approval after 18:00 Paris, and none used after it', async () => {
    at('2026-01-05T16:30:00Z'); // Monday 17:30 in Paris
    const blocked = await deploy(true, true);
    const [id] = requestLinks(blocked.blocked, svc.server.consoleUrl).filter(
      (l) => l !== requestId,
    );
    const approved = await svc
      .client('alice')
      .review(id ?? '', { decision: 'approve', reason: 'late incident' });
    expect(approved.status).toBe('approved');
    at('2026-01-05T16:45:00Z');
    expect((await deploy(false, false)).resources.map((r) => r.urn)).toContain(ruleUrn);

    at('2026-01-05T17:05:00Z'); // 18:05 in Paris: within the hour, but after business hours
    const evening = await deploy(false, false);
    expect(evening.resources.map((r) => r.urn)).not.toContain(ruleUrn);
    const declared = await deploy(true, true);
    expect(declared.blocked).toHaveLength(1);
    expect(declared.blocked[0]?.message).toContain(
      'only holds inside its window (mon,tue,wed,thu,fri 09:00-18:00 Europe/Paris)',
    );

    at('2026-01-05T17:40:00Z'); // that approval has ended; a new request cannot be approved now
    const [late] = requestLinks((await deploy(true, true)).blocked, svc.server.consoleUrl).filter(
      (l) => l !== requestId && l !== id,
    );
    const refused = await svc
      .client('alice')
      .review(late ?? '', { decision: 'approve', reason: 'late incident' })
      .catch((err: unknown) => err);
    expect(refused).toMatchObject({ code: 'ERR_OUTSIDE_WINDOW' });
  }, 120_000);
});
