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
  const conditions = [...(rule.conditions ?? [])];
  if (rule.onlyWhen !== undefined && !conditions.some((c) => c.condition === rule.onlyWhen)) {
    conditions.push({ condition: rule.onlyWhen, at: 'both', failOpen: false });
  }
  if (conditions.length > 0) requirements.conditions = conditions.map((c) => ({ ...c }));
  if (rule.breakGlassDuringFreezes) requirements.breakGlassDuringFreezes = true;
  if (rule.autoApprove) requirements.autoApprove = { ...rule.autoApprove };
  if (rule.breakGlass) {
    const { groups, reviewerGroups } = rule.breakGlass;
    requirements.breakGlass = {
      ...rule.breakGlass,
      groups: [...groups],
      reviewerGroups: [...reviewerGroups],
    };
  }
  return requirements;
}

/**
 * The requirements of the first rule that matches and whose `onlyWhen` condition holds
 * (`holds` answers for the conditions named by `onlyWhenOf`), else of the default rule. A
 * rule's `onlyWhen` becomes one of its conditions, checked again at decision and deploy.
 */
export function requirementsWhen(
  ruleSet: RuleSet,
  stack: string,
  policy: string,
  holds: (condition: string) => boolean,
): Requirements {
  const rule = ruleSet.rules.find(
    (r) => ruleMatches(r, stack, policy) && (r.onlyWhen === undefined || holds(r.onlyWhen)),
  );
  return toRequirements(rule ?? ruleSet.defaultRule);
}

/**
 * The rules that could govern a new request of this policy on this stack, whatever their
 * `onlyWhen` conditions answer: the matching rules up to the first without one, then the default
 * rule if each of those has one.
 */
function candidateRules(
  ruleSet: RuleSet,
  stack: string,
  policy: string,
): (RuleConfig | DefaultRuleConfig)[] {
  const found: (RuleConfig | DefaultRuleConfig)[] = [];
  for (const rule of ruleSet.rules) {
    if (!ruleMatches(rule, stack, policy)) continue;
    found.push(rule);
    if (rule.onlyWhen === undefined) return found;
  }
  found.push(ruleSet.defaultRule);
  return found;
}

/** The `onlyWhen` conditions that deciding the rule of this policy on this stack needs. */
export function onlyWhenOf(ruleSet: RuleSet, stack: string, policy: string): string[] {
  return candidateRules(ruleSet, stack, policy).flatMap((r) =>
    r !== ruleSet.defaultRule && r.onlyWhen !== undefined ? [r.onlyWhen] : [],
  );
}

/** The requirements of every rule that could govern a new request (see `candidateRules`). */
export function possibleRequirements(
  ruleSet: RuleSet,
  stack: string,
  policy: string,
): Requirements[] {
  return candidateRules(ruleSet, stack, policy).map(toRequirements);
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
    ...[ruleSet.defaultRule, ...ruleSet.rules].map((r) => r.breakGlass?.maxDurationSeconds ?? 0),
  );
}
