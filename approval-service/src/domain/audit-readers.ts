import type { Actor } from './model.js';
import { inAnyGroup } from './decision-checks.js';
import type { RuleSet } from './rules.js';

/** What decides who reads the audit trail: the rules and the config's `auditorGroups`. */
export interface AuditReaderConfig extends RuleSet {
  auditorGroups: readonly string[];
}

/** The groups whose members may read the audit trail: auditors and every rule's approvers. */
export function auditReaderGroups(config: AuditReaderConfig): string[] {
  const groups = new Set(config.auditorGroups);
  for (const rule of [config.defaultRule, ...config.rules]) {
    for (const group of rule.approverGroups) groups.add(group);
  }
  return [...groups];
}

/** Whether the actor may read the audit trail. */
export function mayReadAudit(actor: Actor, config: AuditReaderConfig): boolean {
  return inAnyGroup(actor, auditReaderGroups(config));
}
