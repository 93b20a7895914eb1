import type * as aws from '@pulumi/aws';
import { UNKNOWN, findingOf, resolveProps, type SensitiveRule } from '@clearance/policy-pack';

export interface GpuInstanceConfig {
  /** Instance families whose instances need an approval. */
  families: string[];
}

/**
 * The team's own rule: an EC2 instance of a GPU family needs an approval. Its material is the
 * instance type, so the approval covers exactly that type: a bigger one needs a new approval.
 */
export const gpuInstance: SensitiveRule<GpuInstanceConfig> = {
  name: 'gpu-instance',
  description: 'An EC2 instance of a GPU family needs an approval: it costs a lot.',
  resourceTypes: ['aws:ec2/instance:Instance'],
  configSchema: {
    properties: {
      families: {
        type: 'array',
        items: { type: 'string' },
        description: 'Instance families whose instances need an approval.',
        default: ['g4dn', 'g5', 'g6', 'p4d', 'p5'],
      },
    },
  },
  defaults: { families: ['g4dn', 'g5', 'g6', 'p4d', 'p5'] },
  detect(resource, config) {
    const { instanceType } = resolveProps<aws.ec2.InstanceArgs>(resource.props);
    const family = typeof instanceType === 'string' ? instanceType.split('.')[0] : undefined;
    return findingOf(
      [
        {
          verdict: instanceType === UNKNOWN ? UNKNOWN : config.families.includes(family ?? ''),
          summary: `GPU instance type ${String(instanceType === UNKNOWN ? '?' : instanceType)}`,
          item: instanceType,
        },
      ],
      ([type]) => ({ instanceType: type }),
    );
  },
};
