import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';

const config = new pulumi.Config();
const vpcId = config.require('vpcId');
/** Turning this off is the sensitive change: the policy pack asks for an approval first. */
const deletionProtection = config.getBoolean('deletionProtection') ?? true;

const subnets = aws.ec2.getSubnetsOutput({ filters: [{ name: 'vpc-id', values: [vpcId] }] });

const subnetGroup = new aws.rds.SubnetGroup('orders', {
  description: 'Subnets of the orders database',
  subnetIds: subnets.ids,
});

const database = new aws.rds.Instance('orders', {
  engine: 'postgres',
  engineVersion: '16.4',
  instanceClass: 'db.t4g.medium',
  allocatedStorage: 50,
  storageEncrypted: true,
  multiAz: true,
  dbName: 'orders',
  username: 'orders_admin',
  // The master password lives in Secrets Manager; it never enters the program or its state.
  manageMasterUserPassword: true,
  dbSubnetGroupName: subnetGroup.name,
  backupRetentionPeriod: 7,
  deletionProtection,
  skipFinalSnapshot: false,
  finalSnapshotIdentifier: 'orders-final',
});

export const endpoint = database.endpoint;
export const databaseDeletionProtection = deletionProtection;
