import policy from '@pulumi/policy';
import { publicBuckets } from './inner-policy.js';

new policy.PolicyPack('bare', { policies: [publicBuckets] });
