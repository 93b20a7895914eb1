import type { Requirements } from '@clearance/client';
import type { DefaultRuleConfig, RuleConfig } from '../config/config-schema.js';
import { matchesGlob } from '@clearance/client';

/** The rules of a service config, in the order they are tried. */
export interface RuleSet {
  rules: readonly RuleConfig[];
  defaultRule: DefaultRuleConfig;
}

/** Whether a rule applies to this policy on this stack (`org/project/stack`). */
export function ruleMatches(rule: RuleConfig, stack: string, policy: string): boolean {
  return (
    rule.policies.some((p) => matchesGlob(policy, p)) &&
    rule.stacks.some((s) => matchesGlob(stack, s))
  );
}

function toRequirements(rule: RuleConfig | DefaultRuleConfig): Requirements {
  const requirements: Requirements = {
    rule: rule.name,
    approvals: rule.approvals,
    approverGroups: [...rule.approverGroups],
    requesterGroups: [...rule.requesterGroups],
    maxDurationSeconds: rule.maxDurationSeconds,
    reasonRequired: rule.reasonRequired,
  };
  if (rule.window) requirements.window = { ...rule.window, days: [...rule.window.days] };
  return requirements;
}

/** What a request must satisfy: from the first matching rule, else the default rule. */
export function requirementsFor(ruleSet: RuleSet, stack: string, policy: string): Requirements {
  const rule = ruleSet.rules.find((r) => ruleMatches(r, stack, policy));
  return toRequirements(rule ?? ruleSet.defaultRule);
}

/** The longest approval any rule can grant: how long a token signed now may stay valid. */
export function longestDurationSeconds(ruleSet: RuleSet): number {
  return Math.max(
    ruleSet.defaultRule.maxDurationSeconds,
    ...ruleSet.rules.map((r) => r.maxDurationSeconds),
  );
}
