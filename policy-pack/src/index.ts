import policy from '@pulumi/policy';
import { buildPolicies, PACK_DESCRIPTION, PACK_NAME } from './gate/build-policies.js';
import { lazyGate } from './gate/lazy-gate.js';
import { rules } from './policies/index.js';

const gate = lazyGate(async () => (await import('./gate/process-gate.js')).createProcessGate());

new policy.PolicyPack(PACK_NAME, {
  description: PACK_DESCRIPTION,
  policies: buildPolicies(rules, gate),
});
