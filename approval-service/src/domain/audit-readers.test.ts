import { describe, expect, it } from 'vitest';
import type { DefaultRuleConfig, RuleConfig } from '../config/config-schema.js';
import type { Actor } from './model.js';
import { auditReaderGroups, mayReadAudit, type AuditReaderConfig } from './audit-readers.js';

const defaultRule: DefaultRuleConfig = {
  name: 'default',
  approvals: 2,
  approverGroups: ['managers'],
  requesterGroups: [],
  maxDurationSeconds: 3600,
  reasonRequired: false,
};
const dbaRule: RuleConfig = {
  ...defaultRule,
  name: 'prod-db',
  policies: ['aws-rds-*'],
  stacks: ['*/*/prod'],
  approverGroups: ['dba', 'sre-leads'],
  requesterGroups: ['deployers'],
};
const config: AuditReaderConfig = {
  rules: [dbaRule],
  defaultRule,
  auditorGroups: ['auditors'],
};
const someone = (...groups: string[]): Actor => ({ id: 'x', displayName: 'X', groups });

describe('auditReaderGroups', () => {
  it('joins the auditor groups and the approver groups of every rule, once each', () => {
    expect(auditReaderGroups(config)).toEqual(['auditors', 'managers', 'dba', 'sre-leads']);
    expect(auditReaderGroups({ ...config, auditorGroups: ['managers'] })).toEqual([
      'managers',
      'dba',
      'sre-leads',
    ]);
  });
});

describe('mayReadAudit', () => {
  it('lets auditors and the approvers of any rule read the trail', () => {
    expect(mayReadAudit(someone('auditors'), config)).toBe(true);
    expect(mayReadAudit(someone('managers'), config)).toBe(true);
    expect(mayReadAudit(someone('deployers', 'sre-leads'), config)).toBe(true);
  });

  it('refuses requesters and users without a group', () => {
    expect(mayReadAudit(someone('deployers'), config)).toBe(false);
    expect(mayReadAudit(someone(), config)).toBe(false);
    expect(mayReadAudit(someone('auditors'), { ...config, auditorGroups: [] })).toBe(false);
  });
});
