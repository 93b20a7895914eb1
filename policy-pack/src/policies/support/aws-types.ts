/** Pulumi type tokens of the AWS resources the policies inspect (`@pulumi/aws` 7.48). */
export const awsTypes = {
  securityGroup: 'aws:ec2/securityGroup:SecurityGroup',
  defaultSecurityGroup: 'aws:ec2/defaultSecurityGroup:DefaultSecurityGroup',
  securityGroupRule: 'aws:ec2/securityGroupRule:SecurityGroupRule',
  securityGroupIngressRule: 'aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule',

  role: 'aws:iam/role:Role',
  policy: 'aws:iam/policy:Policy',
  rolePolicy: 'aws:iam/rolePolicy:RolePolicy',
  userPolicy: 'aws:iam/userPolicy:UserPolicy',
  groupPolicy: 'aws:iam/groupPolicy:GroupPolicy',
  rolePolicyAttachment: 'aws:iam/rolePolicyAttachment:RolePolicyAttachment',
  userPolicyAttachment: 'aws:iam/userPolicyAttachment:UserPolicyAttachment',
  groupPolicyAttachment: 'aws:iam/groupPolicyAttachment:GroupPolicyAttachment',
  policyAttachment: 'aws:iam/policyAttachment:PolicyAttachment',
  rolePolicyAttachmentsExclusive:
    'aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive',
  userPolicyAttachmentsExclusive:
    'aws:iam/userPolicyAttachmentsExclusive:UserPolicyAttachmentsExclusive',
  groupPolicyAttachmentsExclusive:
    'aws:iam/groupPolicyAttachmentsExclusive:GroupPolicyAttachmentsExclusive',

  rdsInstance: 'aws:rds/instance:Instance',
  rdsCluster: 'aws:rds/cluster:Cluster',

  bucket: 'aws:s3/bucket:Bucket',
  bucketV2: 'aws:s3/bucketV2:BucketV2',
  bucketAcl: 'aws:s3/bucketAcl:BucketAcl',
  bucketAclV2: 'aws:s3/bucketAclV2:BucketAclV2',
  bucketPolicy: 'aws:s3/bucketPolicy:BucketPolicy',
  bucketPublicAccessBlock: 'aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock',
  accountPublicAccessBlock: 'aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock',
} as const;
