import { describe, expect, it } from 'vitest';
import { fingerprint } from '@clearance/client';
import { gatedSteps } from './gated-steps.js';
import { defaultGatedTypes, isGatedType } from './gated-types.js';
import { parsePreviewDigest } from './preview-digest.js';
import { gateStack, previewFixture } from './test-service.case.js';

const dbUrn = 'urn:pulumi:prod::aws-prod-database::aws:rds/instance:Instance::orders';
const steps = (name: string, types = defaultGatedTypes) =>
  gatedSteps(parsePreviewDigest(previewFixture(name)), gateStack, types);

describe('gatedSteps', () => {
  it('gates the delete of the database, not of its subnet group', () => {
    const [step, ...rest] = steps('delete-database.json');
    expect(rest).toEqual([]);
    expect(step).toMatchObject({
      urn: dbUrn,
      type: 'aws:rds/instance:Instance',
      name: 'orders',
      operation: 'delete',
      ops: ['delete'],
      material: { operation: 'delete', id: 'orders-764e1e58' },
      summary: 'Delete aws:rds/instance:Instance "orders" (id orders-764e1e58)',
    });
    expect(step?.fingerprint).toBe(
      fingerprint({
        org: 'acme',
        project: 'aws-prod-database',
        stack: 'prod',
        urn: dbUrn,
        type: 'aws:rds/instance:Instance',
        policy: 'pulumi-delete-replace',
        material: { operation: 'delete', id: 'orders-764e1e58' },
      }),
    );
  });

  it('keeps the inputs before and after for the approvers, outside the fingerprint', () => {
    const [replaced] = steps('replace-database.json');
    expect(replaced?.states?.before).toMatchObject({ engine: 'postgres', allocatedStorage: 50 });
    expect(replaced?.states?.after).toMatchObject({ engine: 'aurora-postgresql' });
    const [shown] = steps('replace-database-steps.json');
    expect(shown?.states?.after).toMatchObject({ engine: 'aurora-postgresql' });
    const [deleted] = steps('delete-database.json');
    expect(deleted?.states?.before).toMatchObject({ engine: 'postgres' });
    expect(deleted?.states).not.toHaveProperty('after');
  });

  it('masks inputs whose names look secret, and sends no states too large for the service', () => {
    const digest = parsePreviewDigest(previewFixture('delete-database.json'));
    const step = digest.steps?.find((s) => s.urn === dbUrn);
    if (!step?.oldState) throw new Error('the fixture deletes the database');
    step.oldState.inputs = { ...step.oldState.inputs, masterPassword: 'hunter2' };
    const [masked] = gatedSteps(digest, gateStack, defaultGatedTypes);
    expect(masked?.states?.before).toMatchObject({ masterPassword: '[secret]' });
    expect(JSON.stringify(masked)).not.toContain('hunter2');

    const inputs = step.oldState.inputs;
    step.oldState.inputs = { ...inputs, tags: { big: 'x'.repeat(40_000) } };
    const [large] = gatedSteps(digest, gateStack, defaultGatedTypes);
    expect(large).not.toHaveProperty('states');
    expect(large?.fingerprint).toBe(masked?.fingerprint);
    let deep: Record<string, unknown> = {};
    for (let i = 0; i < 40; i++) deep = { deep };
    step.oldState.inputs = { ...inputs, deep };
    expect(gatedSteps(digest, gateStack, defaultGatedTypes)[0]).not.toHaveProperty('states');
  });

  it('gates a replacement, naming what forces it', () => {
    const [step] = steps('replace-database.json');
    expect(step).toMatchObject({
      operation: 'replace',
      material: { operation: 'replace', id: 'orders-764e1e58', replaceReasons: ['engine'] },
      summary:
        'Replace aws:rds/instance:Instance "orders" (id orders-764e1e58): engine cannot change in place',
    });
  });

  it('says when a replacement was asked for with --replace (the engine blames the id)', () => {
    const [step] = steps('replace-database-forced.json');
    expect(step).toMatchObject({
      operation: 'replace',
      material: { operation: 'replace', replaceReasons: ['id'] },
      summary:
        'Replace aws:rds/instance:Instance "orders" (id orders-764e1e58): asked for with --replace',
    });
  });

  it('folds the three steps of a shown replacement into one, bound like the logical step', () => {
    const shown = steps('replace-database-steps.json');
    expect(shown).toHaveLength(1);
    expect(shown[0]?.ops).toEqual(['create-replacement', 'replace', 'delete-replaced']);
    expect(shown[0]?.fingerprint).toBe(steps('replace-database.json')[0]?.fingerprint);
  });

  it('binds a delete and a replacement of the same resource to different fingerprints', () => {
    expect(steps('delete-database.json')[0]?.fingerprint).not.toBe(
      steps('replace-database.json')[0]?.fingerprint,
    );
  });

  it('lets creates and in-place updates through', () => {
    expect(steps('update-only.json')).toEqual([]);
  });

  it('gates the configured types only', () => {
    const custom = steps('delete-database.json', ['aws:rds/subnetGroup:*']);
    expect(custom.map((s) => s.name)).toEqual(['orders']);
    expect(custom[0]?.type).toBe('aws:rds/subnetGroup:SubnetGroup');
  });

  it('refuses a preview of another stack or project', () => {
    const digest = parsePreviewDigest(previewFixture('delete-database.json'));
    expect(() => gatedSteps(digest, 'acme/aws-prod-database/staging', defaultGatedTypes)).toThrow(
      'the preview is of stack "prod" of project "aws-prod-database", not of acme/aws-prod-database/staging',
    );
    expect(() => gatedSteps(digest, 'acme/other/prod', defaultGatedTypes)).toThrow(
      'not of acme/other/prod',
    );
  });
});

describe('defaultGatedTypes', () => {
  it('covers databases, buckets, keys and file systems, not networking', () => {
    for (const type of [
      'aws:rds/instance:Instance',
      'aws:rds/cluster:Cluster',
      'aws:dynamodb/table:Table',
      'aws:s3/bucket:Bucket',
      'aws:kms/key:Key',
      'aws:efs/fileSystem:FileSystem',
      'aws:fsx/lustreFileSystem:LustreFileSystem',
      'aws:fsx/openZfsFileSystem:OpenZfsFileSystem',
    ]) {
      expect(isGatedType(type, defaultGatedTypes), type).toBe(true);
    }
    for (const type of [
      'aws:ec2/securityGroup:SecurityGroup',
      'aws:fsx/backup:Backup',
      'aws:rds/subnetGroup:SubnetGroup',
    ]) {
      expect(isGatedType(type, defaultGatedTypes), type).toBe(false);
    }
  });
});
