import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';

const config = new pulumi.Config();

/** A training machine: a GPU instance type needs a manager's approval (see pack/gpu-instance.ts). */
const trainer = new aws.ec2.Instance('trainer', {
  ami: 'ami-0abcdef1234567890',
  instanceType: config.get('instanceType') ?? 'g5.xlarge',
  tags: { team: 'ml' },
});

export const instanceId = trainer.id;
