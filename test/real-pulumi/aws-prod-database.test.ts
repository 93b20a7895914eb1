import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { E2E_START, apiToken } from '../e2e/e2e-service.js';
import { clearanceCli } from './gate-preview-run.js';
import { realCliAvailable } from './real-cli.js';
import { consoleLinks, mandatoryLine, startRealExample, type RealExample } from './real-example.js';

/*
 * examples/aws-prod-database under the real `pulumi` CLI (AWS provider: the stand-in), as its
 * README shows: turning deletion protection off is blocked until a DBA and an SRE lead approve;
 * deleting or replacing the database, from real `pulumi preview --json` output, is blocked by
 * `clearance gate-preview` until approved.
 */
const dbUrn = 'urn:pulumi:prod::aws-prod-database::aws:rds/instance:Instance::orders';

describe.runIf(realCliAvailable('aws-prod-database'))(
  'aws-prod-database under the real CLI',
  () => {
    let ex: RealExample;
    beforeAll(async () => {
      ex = await startRealExample('aws-prod-database', {
        stack: 'prod',
        config: { 'aws:region': 'eu-west-1', 'aws-prod-database:vpcId': 'vpc-0abc' },
      });
    }, 60_000);
    afterAll(() => ex?.close());

    async function approveByDbaAndSre(id: string) {
      await ex.svc
        .client('dana')
        .review(id, { decision: 'approve', reason: 'final snapshot checked' });
      await ex.svc
        .client('erin')
        .review(id, { decision: 'approve', reason: 'retirement ticket OPS-42' });
    }
    const gate = (file: string) =>
      clearanceCli(
        ['gate-preview', file, '--stack', ex.project.stackName, '--reason', 'retire orders'],
        {
          env: { CLEARANCE_URL: ex.svc.server.url, CLEARANCE_TOKEN: apiToken('carol') },
          now: ex.svc.clock.now(),
        },
      );

    it('deploys the protected database without asking anything', async () => {
      const up = await ex.up();
      expect(up.code, up.output).toBe(0);
      expect(await ex.urns()).toContain(dbUrn);
      expect(await ex.svc.client('dana').listRequests({ stack: ex.project.stackName })).toEqual([]);
    }, 120_000);

    it('blocks `deletionProtection false` until a DBA and an SRE lead approve, and again after expiry', async () => {
      const set = await ex.project.pulumi(['config', 'set', 'deletionProtection', 'false']);
      expect(set.code, set.output).toBe(0);
      const blocked = await ex.up();
      expect(blocked.code).not.toBe(0);
      expect(blocked.output).toMatch(mandatoryLine('aws-rds-deletion-protection-off'));
      const [id] = consoleLinks(blocked.output, ex.svc.server.consoleUrl);
      await approveByDbaAndSre(id ?? '');
      const passed = await ex.up();
      expect(passed.code, passed.output).toBe(0);
      const db = (await ex.project.resources()).find((r) => r.urn === dbUrn);
      expect(db?.inputs?.deletionProtection).toBe(false);

      ex.svc.clock.set(E2E_START.getTime() + 4 * 3600 * 1000 + 1000);
      const later = await ex.up();
      expect(later.code).not.toBe(0);
      expect(later.output).toContain('expired');
    }, 240_000);

    it('gates a real `pulumi destroy --preview-only --json`: the delete is blocked, then approved', async () => {
      const preview = await ex.project.pulumi([
        'destroy',
        '--preview-only',
        '--json',
        '--stack',
        'prod',
      ]);
      expect(preview.code, preview.stderr).toBe(0);
      const file = join(ex.project.dir, 'destroy-preview.json');
      await writeFile(file, preview.stdout);

      const blocked = await gate(file);
      expect(blocked.code, blocked.err).toBe(1);
      expect(blocked.out).toContain('BLOCKED delete  aws:rds/instance:Instance "orders"');
      expect(blocked.out).not.toContain('SubnetGroup');
      const [id] = consoleLinks(blocked.out, ex.svc.server.consoleUrl);
      expect(id).toBeDefined();
      await approveByDbaAndSre(id ?? '');
      const passed = await gate(file);
      expect(passed.code, passed.out + passed.err).toBe(0);
      expect(passed.out).toContain('All 1 approved.');
    }, 120_000);

    it('gates a real replacement (`pulumi preview --json --replace`) until approved', async () => {
      const preview = await ex.project.pulumi([
        'preview',
        '--json',
        '--stack',
        'prod',
        '--replace',
        dbUrn,
      ]);
      const file = join(ex.project.dir, 'replace-preview.json');
      await writeFile(file, preview.stdout);
      const blocked = await gate(file);
      expect(blocked.code, blocked.err).toBe(1);
      expect(blocked.out).toContain('BLOCKED replace aws:rds/instance:Instance "orders"');
    }, 120_000);
  },
);
