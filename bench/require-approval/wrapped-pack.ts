import policy from '@pulumi/policy';
import { clearanceRunRecord, requireApproval } from '@clearance/policy-pack';
import { publicBuckets } from './inner-policy.js';

new policy.PolicyPack('wrapped', {
  policies: [requireApproval(publicBuckets), clearanceRunRecord()],
});
