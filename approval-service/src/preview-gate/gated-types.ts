import { matchesGlob } from '@clearance/client';

/** The policy name under which deletes and replacements are requested and approved. */
export const PREVIEW_GATE_POLICY = 'pulumi-delete-replace';

/**
 * Resource types whose delete or replacement loses data: databases, buckets, keys, file
 * systems, volumes, backups. Globs as in the service config (`*` within a `/` segment).
 */
export const defaultGatedTypes: readonly string[] = [
  'aws:rds/instance:Instance',
  'aws:rds/cluster:Cluster',
  'aws:rds/globalCluster:GlobalCluster',
  'aws:docdb/cluster:Cluster',
  'aws:neptune/cluster:Cluster',
  'aws:redshift/cluster:Cluster',
  'aws:dynamodb/table:Table',
  'aws:dynamodb/globalTable:GlobalTable',
  'aws:elasticache/replicationGroup:ReplicationGroup',
  'aws:opensearch/domain:Domain',
  'aws:s3/bucket:Bucket',
  'aws:s3/bucketV2:BucketV2',
  'aws:kms/key:Key',
  'aws:kms/replicaKey:ReplicaKey',
  'aws:efs/fileSystem:FileSystem',
  'aws:fsx/*FileSystem:*FileSystem',
  'aws:ebs/volume:Volume',
  'aws:backup/vault:Vault',
];

/** Whether a resource type is gated by any of the patterns. */
export function isGatedType(type: string, patterns: readonly string[]): boolean {
  return patterns.some((p) => matchesGlob(type, p));
}
