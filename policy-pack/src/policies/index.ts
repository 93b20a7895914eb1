import type { SensitiveRule } from '../sensitive-rule.js';
import { awsIamAdminGrant } from './aws/aws-iam-admin-grant.js';
import { awsIamRoleExternalTrust } from './aws/aws-iam-role-external-trust.js';
import { awsRdsDeletionProtectionOff } from './aws/aws-rds-deletion-protection-off.js';
import { awsS3PublicAccess } from './aws/aws-s3-public-access.js';
import { awsSecurityGroupOpenIngress } from './aws/aws-security-group-open-ingress.js';
import { kubernetesPodHostAccess } from './kubernetes/kubernetes-pod-host-access.js';
import { kubernetesRbacAdminGrant } from './kubernetes/kubernetes-rbac-admin-grant.js';
import { kubernetesServiceOpenLoadBalancer } from './kubernetes/kubernetes-service-open-load-balancer.js';
import { sensitiveResource } from './sensitive-resource.js';

export {
  awsIamAdminGrant,
  awsIamRoleExternalTrust,
  awsRdsDeletionProtectionOff,
  awsS3PublicAccess,
  awsSecurityGroupOpenIngress,
  kubernetesPodHostAccess,
  kubernetesRbacAdminGrant,
  kubernetesServiceOpenLoadBalancer,
  sensitiveResource,
};

/** Every sensitive-state policy of the pack, one per file of this folder and its provider folders. */
export const rules: readonly SensitiveRule[] = [
  awsSecurityGroupOpenIngress,
  awsIamAdminGrant,
  awsIamRoleExternalTrust,
  awsRdsDeletionProtectionOff,
  awsS3PublicAccess,
  kubernetesRbacAdminGrant,
  kubernetesPodHostAccess,
  kubernetesServiceOpenLoadBalancer,
  sensitiveResource,
];
