import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStatusStandIn, type StatusStandIn } from '@clearance/approval-service/testing';
import { apiToken, startE2eService, type E2eService } from '../e2e/e2e-service.js';
import { createPulumiProject, type PulumiProject } from './pulumi-project.js';
import { realCliAvailable } from './real-cli.js';
import { consoleLinks, mandatoryLine } from './real-example.js';

/*
 * A status condition under the real `pulumi` CLI (AWS provider: the stand-in), against the real
 * service and a local stand-in of the status endpoint: a change approved while an incident is
 * open is blocked at deploy time once the incident is closed, through the one approvals answer
 * of the run (the pack itself asks no endpoint), and goes through when it opens again.
 */
const program = fileURLToPath(new URL('./fixtures/pack-facts-program', import.meta.url));
const ruleUrn =
  'urn:pulumi:dev::pack-facts::aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule::ssh';
const openIngress = 'aws-security-group-open-ingress';

describe.runIf(realCliAvailable('context checks under the CLI'))(
  'a status condition under the real CLI',
  () => {
    let svc: E2eService;
    let project: PulumiProject;
    let status: StatusStandIn;
    beforeAll(async () => {
      status = await startStatusStandIn();
      status.answer('/incident', { json: { open: true } });
      svc = await startE2eService(
        [
          {
            name: 'incident-only',
            approvals: 1,
            approverGroups: ['managers'],
            maxDurationSeconds: 3600,
            conditions: [{ condition: 'incident-open', at: 'both' }],
          },
        ],
        {
          config: {
            conditions: [
              {
                name: 'incident-open',
                url: `${status.url}/incident`,
                path: '$.open',
                equals: true,
                cacheSeconds: 0,
              },
            ],
          },
        },
      );
      project = await createPulumiProject({
        source: program,
        stack: 'dev',
        config: { 'aws:region': 'us-east-1', 'pack-facts:shape': 'open' },
        env: { CLEARANCE_URL: svc.server.url, CLEARANCE_TOKEN: apiToken('carol') },
        prebuilt: true,
      });
    }, 60_000);
    afterAll(async () => {
      await project?.close();
      await svc?.close();
      await status?.close();
    });
    const at = () => ({ now: svc.clock.now() });

    it('blocks the deploy of a change approved during an incident once the incident is closed', async () => {
      const blocked = await project.preview([], at());
      expect(blocked.code).not.toBe(0);
      const [id] = consoleLinks(blocked.output, svc.server.consoleUrl);
      await svc.client('alice').review(id ?? '', { decision: 'approve', reason: 'INC-9' });

      status.answer('/incident', { json: { open: false } });
      const closed = await project.up([], at());
      expect(closed.code).not.toBe(0);
      expect(closed.output).toMatch(mandatoryLine(openIngress));
      expect(closed.output).toContain(
        'the approval requires the condition "incident-open" at deploy time: condition "incident-open" does not hold: $.open is false, expected true',
      );
      expect((await project.resources()).map((r) => r.urn)).not.toContain(ruleUrn);

      status.answer('/incident', { json: { open: true } });
      const reopened = await project.up([], at());
      expect(reopened.code, reopened.output).toBe(0);
      expect((await project.resources()).map((r) => r.urn)).toContain(ruleUrn);
      // The pack asked nothing itself: every check of the endpoint came from the service.
      const audited = await svc.server.services.audit.readAudit({ action: 'condition.evaluated' });
      expect(audited.filter((e) => e.data?.at === 'deploy').map((e) => e.data?.holds)).toEqual(
        expect.arrayContaining([false, true]),
      );
    }, 300_000);
  },
);
