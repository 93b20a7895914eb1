import policy from '@pulumi/policy';
import { PACK_DESCRIPTION, PACK_NAME } from './gate/build-policies.js';
import { clearancePolicies } from './library/index.js';
import { rules } from './policies/index.js';

new policy.PolicyPack(PACK_NAME, {
  description: PACK_DESCRIPTION,
  policies: clearancePolicies(rules),
});
