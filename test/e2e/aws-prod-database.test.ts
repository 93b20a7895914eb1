import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '@clearance/approval-service/cli';
import { recordingIo } from '@clearance/approval-service/testing';
import {
  E2E_START,
  apiToken,
  exampleRules,
  startE2eService,
  type E2eService,
} from './e2e-service.js';
import { deployExample, exampleResources, type ExampleStack } from './example-deploy.js';
import { requestLinks } from './example-run.js';
import { deletionPreview } from './preview-json.js';

const example: ExampleStack = {
  org: 'acme',
  project: 'aws-prod-database',
  stack: 'prod',
  config: { 'aws-prod-database:vpcId': 'vpc-0abc' },
  invokes: { 'aws:ec2/getSubnets:getSubnets': () => ({ ids: ['subnet-0a1', 'subnet-0b2'] }) },
};
const stackName = 'acme/aws-prod-database/prod';
const dbUrn = 'urn:pulumi:prod::aws-prod-database::aws:rds/instance:Instance::orders';
let svc: E2eService;
let dir: string;

beforeAll(async () => {
  svc = await startE2eService(await exampleRules('aws-prod-database'));
  dir = await mkdtemp(join(tmpdir(), 'clearance-e2e-db-'));
});
afterAll(async () => {
  await svc.close();
  await rm(dir, { recursive: true, force: true });
});

const protection = (on: boolean) => ({ 'aws-prod-database:deletionProtection': String(on) });
const program = (dryRun: boolean, deletionProtection: boolean) =>
  exampleResources(svc, example, { dryRun, config: protection(deletionProtection) });
const deploy = async (dryRun: boolean, deletionProtection: boolean) =>
  (await deployExample(svc, example, { dryRun, config: protection(deletionProtection) })).blocked;

async function approveByDbaAndSre(id: string) {
  await svc.client('dana').review(id, { decision: 'approve', reason: 'final snapshot checked' });
  await svc.client('erin').review(id, { decision: 'approve', reason: 'retirement ticket OPS-42' });
}

describe('aws-prod-database end to end: deletion protection', () => {
  it('lets the protected database through without asking anything', async () => {
    expect(await deploy(true, true)).toEqual([]);
    expect(await svc.client('dana').listRequests({ stack: stackName })).toEqual([]);
  }, 120_000);

  it('blocks turning protection off until a DBA and an SRE lead approve, and again after expiry', async () => {
    const preview = await deploy(true, false);
    expect(preview).toHaveLength(1);
    expect(preview[0]).toMatchObject({ policyName: 'aws-rds-deletion-protection-off', urn: dbUrn });
    const [id] = requestLinks(preview, svc.server.consoleUrl);
    expect(requestLinks(await deploy(false, false), svc.server.consoleUrl)).toEqual([id]);

    await approveByDbaAndSre(id ?? '');
    expect(await deploy(true, false)).toEqual([]);
    expect(await deploy(false, false)).toEqual([]);

    svc.clock.set(E2E_START.getTime() + 4 * 3600 * 1000);
    const later = await deploy(false, false);
    expect(later).toHaveLength(1);
    expect(later[0]?.message).toContain('expired');
  }, 180_000);
});

describe('aws-prod-database end to end: deleting the database', () => {
  /** `clearance gate-preview` in-process, its clock (which checks token expiry) at the service's time. */
  async function gate(file: string) {
    const io = recordingIo({ CLEARANCE_URL: svc.server.url, CLEARANCE_TOKEN: apiToken('carol') });
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(svc.clock.now());
    try {
      const code = await main(
        ['gate-preview', file, '--stack', stackName, '--reason', 'retire orders'],
        io,
      );
      return { code, out: io.out(), err: io.err() };
    } finally {
      vi.useRealTimers();
    }
  }

  it('blocks the delete with a console link, passes once approved, blocks again after expiry', async () => {
    svc.clock.set(E2E_START);
    const resources = await program(false, false);
    const file = join(dir, 'preview.json');
    await writeFile(file, deletionPreview(example.project, example.stack, resources));

    const blocked = await gate(file);
    expect(blocked.code).toBe(1);
    expect(blocked.out).toContain('BLOCKED delete  aws:rds/instance:Instance "orders"');
    expect(blocked.out).not.toContain('SubnetGroup');
    const [id] = requestLinks([{ message: blocked.out }], svc.server.consoleUrl);
    expect(id).toBeDefined();

    await approveByDbaAndSre(id ?? '');
    const passed = await gate(file);
    expect(passed.code).toBe(0);
    expect(passed.out).toContain('All 1 approved.');

    svc.clock.set(E2E_START.getTime() + 4 * 3600 * 1000 + 1000);
    const expired = await gate(file);
    expect(expired.code).toBe(1);
    expect(expired.out).toContain('approval requested');
  }, 60_000);
});
