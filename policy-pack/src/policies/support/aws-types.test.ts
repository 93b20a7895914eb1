import * as aws from '@pulumi/aws';
import { expect, it } from 'vitest';
import { awsTypes } from './aws-types.js';

const classes: Record<keyof typeof awsTypes, unknown> = {
  securityGroup: aws.ec2.SecurityGroup,
  defaultSecurityGroup: aws.ec2.DefaultSecurityGroup,
  securityGroupRule: aws.ec2.SecurityGroupRule,
  securityGroupIngressRule: aws.vpc.SecurityGroupIngressRule,
  role: aws.iam.Role,
  policy: aws.iam.Policy,
  rolePolicy: aws.iam.RolePolicy,
  userPolicy: aws.iam.UserPolicy,
  groupPolicy: aws.iam.GroupPolicy,
  rolePolicyAttachment: aws.iam.RolePolicyAttachment,
  userPolicyAttachment: aws.iam.UserPolicyAttachment,
  groupPolicyAttachment: aws.iam.GroupPolicyAttachment,
  policyAttachment: aws.iam.PolicyAttachment,
  rolePolicyAttachmentsExclusive: aws.iam.RolePolicyAttachmentsExclusive,
  userPolicyAttachmentsExclusive: aws.iam.UserPolicyAttachmentsExclusive,
  groupPolicyAttachmentsExclusive: aws.iam.GroupPolicyAttachmentsExclusive,
  rdsInstance: aws.rds.Instance,
  rdsCluster: aws.rds.Cluster,
  bucket: aws.s3.Bucket,
  bucketV2: aws.s3.BucketV2,
  bucketAcl: aws.s3.BucketAcl,
  bucketAclV2: aws.s3.BucketAclV2,
  bucketPolicy: aws.s3.BucketPolicy,
  bucketPublicAccessBlock: aws.s3.BucketPublicAccessBlock,
  accountPublicAccessBlock: aws.s3.AccountPublicAccessBlock,
};

it.each(Object.entries(awsTypes))(
  '%s is the __pulumiType of its @pulumi/aws class',
  (key, token) => {
    const cls = classes[key as keyof typeof awsTypes] as { __pulumiType?: unknown };
    expect(cls.__pulumiType).toBe(token);
  },
);
