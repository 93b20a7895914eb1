import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { whileApproved } from '@clearance/temporary';

const config = new pulumi.Config();
const vpcId = config.require('vpcId');
const sshCidr = config.get('sshCidr') ?? '0.0.0.0/0';

/** The bastion's security group: no inbound traffic unless a temporary rule is approved. */
const bastion = new aws.ec2.SecurityGroup('bastion', {
  vpcId,
  description: 'Bastion host: SSH only through an approved temporary rule',
  egress: [{ protocol: '-1', fromPort: 0, toPort: 0, cidrBlocks: ['0.0.0.0/0'] }],
  tags: { purpose: 'bastion' },
});

/**
 * SSH for debugging. The policy pack treats it as sensitive (open ingress), and this rule is
 * declared only while its approval is active: after expiry, the next `pulumi up` deletes it.
 */
const debugSsh = await whileApproved(
  {
    name: 'debug-ssh',
    type: 'aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule',
    policies: ['aws-security-group-open-ingress'],
  },
  (name) =>
    new aws.vpc.SecurityGroupIngressRule(name, {
      securityGroupId: bastion.id,
      description: 'Temporary SSH for debugging',
      ipProtocol: 'tcp',
      fromPort: 22,
      toPort: 22,
      cidrIpv4: sshCidr,
    }),
);

export const securityGroupId = bastion.id;
export const debugSshStatus = debugSsh.status;
export const debugSshExpiresAt = debugSsh.expiresAt;
