import policy from '@pulumi/policy';
import type { ResourceValidationPolicy, StackValidationPolicy } from '@pulumi/policy';
import { clearanceRunRecord, requireApproval } from '@clearance/policy-pack';
import { awsGuardPolicies } from './awsguard-policies.js';

const isResourcePolicy = (
  p: ResourceValidationPolicy | StackValidationPolicy,
): p is ResourceValidationPolicy => 'validateResource' in p;

new policy.PolicyPack('awsguard-exceptions', {
  description: 'AwsGuard, every policy mandatory, with Clearance approvals as the exception path.',
  enforcementLevel: 'mandatory',
  policies: [
    ...awsGuardPolicies().map((p) => (isResourcePolicy(p) ? requireApproval(p) : p)),
    clearanceRunRecord(),
  ],
});
