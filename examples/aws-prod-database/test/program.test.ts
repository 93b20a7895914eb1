import { describe, expect, it } from 'vitest';
import { resourceOf } from '../../lib/test/collect-resources.js';
import { exampleRule, runProgram } from '../../lib/test/example-program.js';

const instanceType = 'aws:rds/instance:Instance';
const unknown = '04da6b54-80e4-46f7-96ec-b56ff0331ba9';

function run(config: Record<string, string> = {}, preview = true) {
  return runProgram(() => import('../index.js'), {
    project: 'aws-prod-database',
    stack: 'prod',
    organization: 'acme',
    preview,
    config: { 'aws-prod-database:vpcId': 'vpc-0abc', ...config },
    invokes: {
      'aws:ec2/getSubnets:getSubnets': (inputs) => {
        const filters = inputs.filters as { name: string; values: string[] }[];
        const vpc = filters.find((f) => f.name === 'vpc-id')?.values[0];
        return { id: vpc, ids: [`${vpc}-subnet-a`, `${vpc}-subnet-b`], filters };
      },
    },
  });
}

describe('aws-prod-database', () => {
  it('declares a protected, encrypted database in the subnets of the VPC', async () => {
    const { resources } = await run();
    expect(resources.map((r) => r.urn)).toEqual([
      'urn:pulumi:prod::aws-prod-database::aws:rds/subnetGroup:SubnetGroup::orders',
      'urn:pulumi:prod::aws-prod-database::aws:rds/instance:Instance::orders',
    ]);
    const group = resourceOf(resources, 'aws:rds/subnetGroup:SubnetGroup');
    expect(group.inputs.subnetIds).toEqual(['vpc-0abc-subnet-a', 'vpc-0abc-subnet-b']);
    const db = resourceOf(resources, instanceType);
    expect(db.inputs).toMatchObject({
      deletionProtection: true,
      skipFinalSnapshot: false,
      finalSnapshotIdentifier: 'orders-final',
      storageEncrypted: true,
      manageMasterUserPassword: true,
    });
    expect(db.inputs).not.toHaveProperty('password');
    // The subnet group's name is only known once it exists.
    expect(db.inputs.dbSubnetGroupName).toBe(unknown);
  });

  it('turns deletion protection off only when the config says so', async () => {
    const { resources, program } = await run({ 'aws-prod-database:deletionProtection': 'false' });
    expect(resourceOf(resources, instanceType).inputs.deletionProtection).toBe(false);
    expect((program as { databaseDeletionProtection: boolean }).databaseDeletionProtection).toBe(
      false,
    );
  });
});

describe('aws-prod-database service rule', () => {
  it('covers the pack policy and the delete/replace gate on the prod stack', () => {
    expect(exampleRule(new URL('../', import.meta.url))).toMatchObject({
      policies: ['aws-rds-deletion-protection-off', 'pulumi-delete-replace'],
      stacks: ['*/aws-prod-database/prod'],
      approvals: 2,
    });
  });
});
