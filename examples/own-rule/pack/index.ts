import policy from '@pulumi/policy';
import { clearancePolicies } from '@clearance/policy-pack';
import { gpuInstance } from './gpu-instance.js';

new policy.PolicyPack('own-rule', {
  description: 'The ML team’s own rules: GPU instances need an approval.',
  policies: clearancePolicies([gpuInstance]),
});
