import type * as aws from '@pulumi/aws';
import { z } from 'zod';
import {
  UNKNOWN,
  findingOf,
  resolveProps,
  type Finding,
  type Hit,
  type ResourceInput,
  type SensitiveRule,
  type Tri,
} from '../../sensitive-rule.js';
import { awsTypes } from '../support/aws-types.js';
import { ruleConfig } from '../support/config-schema.js';

export interface RdsDeletionProtectionOffConfig {
  /** Flag a database whose `deletionProtection` is false or absent. */
  checkDeletionProtection: boolean;
  /** Flag a database whose `skipFinalSnapshot` is true. */
  checkSkipFinalSnapshot: boolean;
}

type DatabaseArgs = aws.rds.InstanceArgs & aws.rds.ClusterArgs;
type Flag = 'deletionProtection' | 'skipFinalSnapshot';

/** True when `value` is the risky setting; AWS defaults both flags to false. */
function isRisky(value: unknown, risky: boolean): Tri {
  if (value === UNKNOWN) return UNKNOWN;
  return (value === true) === risky;
}

function detect(
  resource: ResourceInput,
  config: RdsDeletionProtectionOffConfig,
): Finding | undefined {
  if (resource.type !== awsTypes.rdsInstance && resource.type !== awsTypes.rdsCluster)
    return undefined;
  const p = resolveProps<DatabaseArgs>(resource.props);
  const hits: Hit<[Flag, unknown]>[] = [];
  if (config.checkDeletionProtection) {
    const value = p.deletionProtection === UNKNOWN ? UNKNOWN : p.deletionProtection === true;
    hits.push({
      verdict: isRisky(p.deletionProtection, false),
      summary: 'deletion protection is off',
      item: ['deletionProtection', value],
    });
  }
  if (config.checkSkipFinalSnapshot) {
    const value = p.skipFinalSnapshot === UNKNOWN ? UNKNOWN : p.skipFinalSnapshot === true;
    hits.push({
      verdict: isRisky(p.skipFinalSnapshot, true),
      summary: 'deletion skips the final snapshot',
      item: ['skipFinalSnapshot', value],
    });
  }
  return findingOf(hits, (items) => Object.fromEntries(items));
}

const deletionProtectionConfig = z.object({
  checkDeletionProtection: z
    .boolean()
    .default(true)
    .describe('Flag deletionProtection false or absent.'),
  checkSkipFinalSnapshot: z.boolean().default(true).describe('Flag skipFinalSnapshot true.'),
}) satisfies z.ZodType<RdsDeletionProtectionOffConfig>;

/** A database that can be deleted, or deleted without a final snapshot, without an approval. */
export const awsRdsDeletionProtectionOff: SensitiveRule<RdsDeletionProtectionOffConfig> = {
  name: 'aws-rds-deletion-protection-off',
  description:
    'An RDS instance or cluster without deletion protection, or that skips its final snapshot, needs an approval.',
  resourceTypes: [awsTypes.rdsInstance, awsTypes.rdsCluster],
  ...ruleConfig(deletionProtectionConfig),
  detect,
};
