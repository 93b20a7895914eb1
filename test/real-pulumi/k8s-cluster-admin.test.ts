import { writeFile } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { E2E_START, apiToken } from '../e2e/e2e-service.js';
import { clearanceCli } from './gate-preview-run.js';
import { realCliAvailable, realCliDir, standInAwsBin } from './real-cli.js';
import { consoleLinks, mandatoryLine, startRealExample, type RealExample } from './real-example.js';

/*
 * examples/k8s-cluster-admin under the real `pulumi` CLI. Its Kubernetes provider is a STAND-IN
 * (stand-in-kubernetes/, first on PATH): there is no cluster. The cluster-admin binding is blocked
 * until two managers approve, then exists until the approval expires, when the scheduled `up`
 * removes it, through the shared temporary helper (@clearance/temporary). Deleting the namespace
 * labelled protected is gated by `clearance gate-preview`.
 */
const standInKubernetesBin = fileURLToPath(new URL('./stand-in-kubernetes/bin', import.meta.url));
const bindingUrn =
  'urn:pulumi:prod::k8s-cluster-admin::kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding::incident-admin';
const namespaceUrn =
  'urn:pulumi:prod::k8s-cluster-admin::kubernetes:core/v1:Namespace::incident-tools';
const policy = 'kubernetes-rbac-admin-grant';

describe.runIf(realCliAvailable('k8s-cluster-admin'))(
  'k8s-cluster-admin under the real CLI',
  () => {
    let ex: RealExample;
    let requestId = '';
    const env = (extra: Record<string, string> = {}) => ({
      PATH: [standInKubernetesBin, standInAwsBin, realCliDir() ?? '', process.env.PATH ?? ''].join(
        delimiter,
      ),
      ...extra,
    });
    beforeAll(async () => {
      ex = await startRealExample('k8s-cluster-admin', {
        stack: 'prod',
        config: {
          'k8s-cluster-admin:oncallUser': 'carol@example.com',
          'k8s-cluster-admin:incident': 'INC-4711',
        },
      });
    }, 60_000);
    afterAll(() => ex?.close());

    it('asking for the binding is blocked with the console link; one request opens', async () => {
      const preview = await ex.preview(env({ CLEARANCE_REQUEST: 'incident-admin' }));
      expect(preview.code, preview.output).not.toBe(0);
      expect(preview.output).toMatch(mandatoryLine(policy));
      expect(preview.output).toContain('binds ClusterRole cluster-admin to User:carol@example.com');
      const links = consoleLinks(preview.output, ex.svc.server.consoleUrl);
      expect(links).toHaveLength(1);
      requestId = links[0] as string;
    }, 180_000);

    it('one manager is not enough; with the second, `up` creates the binding', async () => {
      await ex.svc.client('alice').review(requestId, { decision: 'approve', reason: 'INC-4711' });
      const one = await ex.up(env());
      expect(one.code, one.output).toBe(0);
      expect(await ex.urns()).not.toContain(bindingUrn);
      await ex.svc.client('bob').review(requestId, { decision: 'approve', reason: 'INC-4711' });
      const both = await ex.up(env());
      expect(both.code, both.output).toBe(0);
      expect(both.output).toContain('temporary incident-admin is approved until');
      expect(await ex.urns()).toContain(bindingUrn);
    }, 240_000);

    it('deleting the protected namespace is blocked by `clearance gate-preview` of a real preview', async () => {
      const preview = await ex.project.pulumi(
        ['destroy', '--preview-only', '--json', '--stack', 'prod'],
        { env: env(), now: ex.svc.clock.now() },
      );
      expect(preview.code, preview.stderr).toBe(0);
      const file = join(ex.project.dir, 'destroy-preview.json');
      await writeFile(file, preview.stdout);
      const gated = await clearanceCli(
        ['gate-preview', file, '--stack', ex.project.stackName, '--reason', 'tear down'],
        {
          env: { CLEARANCE_URL: ex.svc.server.url, CLEARANCE_TOKEN: apiToken('carol') },
          now: ex.svc.clock.now(),
        },
      );
      expect(gated.code, gated.out + gated.err).toBe(1);
      expect(gated.out + gated.err).toContain('kubernetes:core/v1:Namespace "incident-tools"');
      const requests = await ex.svc.client('alice').listRequests({ stack: ex.project.stackName });
      expect(
        requests.filter((r) => r.policy === 'pulumi-delete-replace').map((r) => r.urn),
      ).toEqual([namespaceUrn]);
    }, 180_000);

    it('after expiry, the scheduled `up` removes the binding', async () => {
      ex.svc.clock.set(E2E_START.getTime() + 3601 * 1000);
      const scheduled = await ex.up(env());
      expect(scheduled.code, scheduled.output).toBe(0);
      expect(await ex.urns()).not.toContain(bindingUrn);
    }, 180_000);
  },
);
