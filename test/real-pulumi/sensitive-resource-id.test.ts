import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { realCliAvailable } from './real-cli.js';
import { consoleLinks, mandatoryLine, startRealExample, type RealExample } from './real-example.js';

/*
 * A `sensitive-resource` entry with an `id`, under the real `pulumi` CLI and the Clearance pack
 * (AWS provider: the stand-in): its finding is reported, requested and approved under that id as
 * the policy name, so that service rules can route it. The program is examples/own-rule's.
 */
const instanceUrn = 'urn:pulumi:dev::own-rule::aws:ec2/instance:Instance::trainer';

describe.runIf(realCliAvailable('sensitive-resource-id'))(
  'sensitive-resource ids under the real CLI',
  () => {
    let ex: RealExample;
    let configFile = '';
    beforeAll(async () => {
      ex = await startRealExample('own-rule', {
        stack: 'dev',
        config: { 'aws:region': 'eu-west-1' },
        rules: [],
      });
      configFile = join(ex.project.dir, 'policy-config.json');
      const entry = {
        id: 'gpu-public-instance',
        type: 'aws:ec2/instance:Instance',
        when: [{ path: 'instanceType', matches: '^(p|g)[0-9]' }],
      };
      await writeFile(configFile, JSON.stringify({ 'sensitive-resource': { resources: [entry] } }));
    }, 60_000);
    afterAll(() => ex?.close());

    it('reports and requests the finding under the entry’s id', async () => {
      const preview = await ex.preview({}, ['--policy-pack-config', configFile]);
      expect(preview.code, preview.output).not.toBe(0);
      expect(preview.output).toMatch(mandatoryLine('gpu-public-instance'));
      const [id, ...more] = consoleLinks(preview.output, ex.svc.server.consoleUrl);
      expect(more).toEqual([]);
      const stored = await ex.svc.client('alice').listRequests({ stack: ex.project.stackName });
      expect(stored.map((r) => [r.id, r.policy, r.urn])).toEqual([
        [id, 'gpu-public-instance', instanceUrn],
      ]);
    }, 180_000);
  },
);
