import type { Finding, ResourceInput, SensitiveRule } from './sensitive-rule.js';

/** A finding requested, approved and reported under a policy name of its own. */
export interface RoutedFinding {
  policy: string;
  finding: Finding;
}

/**
 * A rule whose findings may each go under another policy name than the rule's own (the entries
 * of `sensitive-resource`, by their `id`), so that service rules route their approvals apart.
 */
export interface RoutedRule<C extends object = object> extends SensitiveRule<C> {
  /** Pure, like `detect`: every finding, each with the policy name it goes under. */
  detectRouted(resource: ResourceInput, config: C): RoutedFinding[];
}

export function isRoutedRule(rule: SensitiveRule): rule is RoutedRule {
  return typeof (rule as Partial<RoutedRule>).detectRouted === 'function';
}

/** A rule's findings for a resource, each with its policy name. */
export function routedFindings<C extends object>(
  rule: SensitiveRule<C>,
  resource: ResourceInput,
  config: C,
): RoutedFinding[] {
  if (isRoutedRule(rule as SensitiveRule)) {
    return (rule as unknown as RoutedRule<C>).detectRouted(resource, config);
  }
  const finding = rule.detect(resource, config);
  return finding ? [{ policy: rule.name, finding }] : [];
}
