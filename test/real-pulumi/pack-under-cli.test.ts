import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiToken, startE2eService, type E2eService } from '../e2e/e2e-service.js';
import { createPulumiProject, packDir, type PulumiProject } from './pulumi-project.js';
import { realCliAvailable } from './real-cli.js';
import { consoleLinks, mandatoryLine } from './real-example.js';

/*
 * The Clearance pack under the real `pulumi` CLI (AWS provider: the stand-in), on a program of
 * the test's own: settings validated by the engine, secrets, values unknown at preview, the run
 * record, `--skip-preview`, and `pulumi policy analyze`.
 */
const program = fileURLToPath(new URL('./fixtures/pack-facts-program', import.meta.url));
const ruleUrn =
  'urn:pulumi:dev::pack-facts::aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule::ssh';
const roleUrn = 'urn:pulumi:dev::pack-facts::aws:iam/role:Role::partner';
const openIngress = 'aws-security-group-open-ingress';

describe.runIf(realCliAvailable('pack under the CLI'))(
  'the Clearance pack under the real CLI',
  () => {
    let svc: E2eService;
    let project: PulumiProject;
    beforeAll(async () => {
      svc = await startE2eService([]);
      project = await createPulumiProject({
        source: program,
        stack: 'dev',
        config: { 'aws:region': 'us-east-1', 'pack-facts:shape': 'none' },
        env: { CLEARANCE_URL: svc.server.url, CLEARANCE_TOKEN: apiToken('carol') },
        prebuilt: true,
      });
    }, 60_000);
    afterAll(async () => {
      await project?.close();
      await svc?.close();
    });
    const shape = (value: string) => ({ 'pack-facts:shape': value });
    const at = () => ({ now: svc.clock.now() });
    const preview = (config: Record<string, string>, args: string[] = []) =>
      project.preview([...configArgs(config), ...args], at());
    const up = (config: Record<string, string>, args: string[] = []) =>
      project.up([...configArgs(config), ...args], at());
    const configArgs = (config: Record<string, string>) =>
      Object.entries(config).flatMap(([k, v]) => ['--config', `${k}=${v}`]);
    const urns = async () => (await project.resources()).map((r) => r.urn);
    const requests = () => svc.client('alice').listRequests({ stack: project.stackName });

    it('refuses a wrong gate setting in --policy-pack-config before touching any resource', async () => {
      const file = join(project.dir, 'bad-settings.json');
      await writeFile(file, JSON.stringify({ [openIngress]: { failMode: 'sometimes' } }));
      const run = await up(shape('open'), ['--policy-pack-config', file]);
      expect(run.code).not.toBe(0);
      expect(run.output).toContain('validating policy config');
      expect(run.output).toContain('failMode');
      expect(await urns()).toEqual([]);
      expect(await requests()).toEqual([]);
    }, 120_000);

    it('`up --skip-preview` on a blocked change changes nothing', async () => {
      const run = await up(shape('open'), ['--skip-preview']);
      expect(run.code).not.toBe(0);
      expect(run.output).toMatch(mandatoryLine(openIngress));
      expect(await urns()).not.toContain(ruleUrn);
      // The failed update's record: the request it opened, blocked by that update run.
      const blocked = await svc.server.services.audit.readAudit({ action: 'run.blocked' });
      expect(blocked.map((e) => [e.data?.urn, e.data?.dryRun])).toContainEqual([ruleUrn, false]);
    }, 120_000);

    it('records the blocked resources of a preview and the approvals an update used (POST /v1/runs)', async () => {
      const blocked = await preview(shape('open'));
      expect(blocked.code).not.toBe(0);
      const [id] = consoleLinks(blocked.output, svc.server.consoleUrl);
      const blockedAudit = await svc.server.services.audit.readAudit({ action: 'run.blocked' });
      expect(blockedAudit.map((e) => e.subject)).toContain(id);

      await svc.client('alice').review(id ?? '', { decision: 'approve', reason: 'maintenance' });
      const passed = await up(shape('open'));
      expect(passed.code, passed.output).toBe(0);
      expect(await urns()).toContain(ruleUrn);
      const view = await svc.client('alice').getRequest(id ?? '');
      // The preview pass and the update pass of `pulumi up`, each with its own run.
      expect(view.runs?.map((r) => r.dryRun).sort()).toEqual([false, true]);
    }, 240_000);

    it('`pulumi policy analyze` (no stack context) reports a clear violation, neither a crash nor a pass', async () => {
      // The approved open rule is in the state; analyze sends no ConfigureStack, so no stack.
      const run = await project.pulumi(
        ['policy', 'analyze', '--stack', 'dev', '--policy-pack', packDir],
        at(),
      );
      expect(run.output).toMatch(mandatoryLine(openIngress));
      expect(run.output).toContain('no stack is known to the pack');
      expect(run.output).not.toMatch(/setMocks|TypeError|\n\s+at /);
    }, 120_000);

    it('checks a value unknown at preview at update: advisory first, then blocked with a request', async () => {
      await project.pulumi(['destroy', '--yes', '--stack', 'dev']);
      const before = (await requests()).length;
      const previewRun = await preview(shape('late'));
      expect(previewRun.code, previewRun.output).toBe(0);
      expect(previewRun.output).toContain('checked at update');
      expect(await requests()).toHaveLength(before);

      const update = await up(shape('late'), ['--skip-preview']);
      expect(update.code).not.toBe(0);
      expect(update.output).toMatch(mandatoryLine(openIngress));
      expect(await requests()).toHaveLength(before + 1);
      expect(await urns()).not.toContain(`${ruleUrn}-late`);
    }, 240_000);

    it('shows approvers a secret only as its hash, and keeps it out of the service data', async () => {
      const run = await preview(shape('role'));
      expect(run.code).not.toBe(0);
      const [id] = consoleLinks(run.output, svc.server.consoleUrl);
      const view = await svc.client('alice').getRequest(id ?? '');
      expect(view.urn).toBe(roleUrn);
      expect(JSON.stringify(view)).not.toContain('partner-external-id-s3cr3t');
      expect(JSON.stringify(view.material)).toMatch(/sha256/i);
      const page = await fetch(`${svc.server.url}/v1/requests/${id ?? ''}`, {
        headers: { authorization: `Bearer ${apiToken('alice')}` },
      });
      expect(await page.text()).not.toContain('partner-external-id-s3cr3t');
      for (const file of await readdir(svc.dataDir)) {
        const text = await readFile(join(svc.dataDir, file), 'utf8').catch(() => '');
        expect(text, file).not.toContain('partner-external-id-s3cr3t');
      }
    }, 120_000);
  },
);
