import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DefaultRuleConfig, RuleConfig } from '../config/config-schema.js';
import {
  longestDurationSeconds,
  possibleRequirements,
  requirementsFor,
  type RuleSet,
} from './rules.js';

function rule(name: string, over: Partial<RuleConfig> = {}): RuleConfig {
  return {
    name,
    policies: ['*'],
    stacks: ['**'],
    approvals: 1,
    approverGroups: ['ops'],
    requesterGroups: [],
    maxDurationSeconds: 600,
    reasonRequired: false,
    ...over,
  };
}

const defaultRule: DefaultRuleConfig = {
  name: 'default',
  approvals: 2,
  approverGroups: ['managers'],
  requesterGroups: [],
  maxDurationSeconds: 3600,
  reasonRequired: false,
};

describe('requirementsFor', () => {
  const ruleSet: RuleSet = {
    rules: [
      rule('prod-network', {
        policies: ['aws-security-group-*'],
        stacks: ['*/*/prod'],
        approvals: 3,
      }),
      rule('prod-any', { stacks: ['*/*/prod'], approvals: 2, approverGroups: ['sre'] }),
      rule('acme-buckets', { policies: ['aws-s3-bucket-public'], stacks: ['acme/**'] }),
    ],
    defaultRule,
  };

  it('takes the first rule whose policy and stack patterns both match', () => {
    expect(requirementsFor(ruleSet, 'acme/web/prod', 'aws-security-group-open-ingress').rule).toBe(
      'prod-network',
    );
    expect(requirementsFor(ruleSet, 'acme/web/prod', 'aws-s3-bucket-public').rule).toBe('prod-any');
    expect(requirementsFor(ruleSet, 'acme/web/dev', 'aws-s3-bucket-public').rule).toBe(
      'acme-buckets',
    );
  });

  it('falls back to the default rule', () => {
    const req = requirementsFor(ruleSet, 'other/web/dev', 'aws-s3-bucket-public');
    expect(req).toEqual({
      rule: 'default',
      approvals: 2,
      approverGroups: ['managers'],
      requesterGroups: [],
      maxDurationSeconds: 3600,
      reasonRequired: false,
    });
  });

  it('copies the rule so that a request cannot change the config', () => {
    const req = requirementsFor(ruleSet, 'other/web/dev', 'x');
    req.approverGroups.push('everyone');
    expect(defaultRule.approverGroups).toEqual(['managers']);
  });

  it('always answers with the first matching rule, whatever the rule order and names', () => {
    const name = fc.stringMatching(/^[a-z]{1,6}$/);
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            policy: fc.constantFrom('*', 'a-*', 'b-policy'),
            stack: fc.constantFrom('**', 'x/*/*', '*/*/prod'),
          }),
          { maxLength: 6 },
        ),
        fc.constantFrom('a-one', 'b-policy', 'c'),
        fc.tuple(name, name, name).map((p) => p.join('/')),
        (specs, policy, stack) => {
          const rules = specs.map((s, i) =>
            rule(`r${i}`, { policies: [s.policy], stacks: [s.stack] }),
          );
          const got = requirementsFor({ rules, defaultRule }, stack, policy).rule;
          const matches = (s: (typeof specs)[number]) =>
            (s.policy === '*' ||
              (s.policy === 'a-*' ? policy.startsWith('a-') : policy === s.policy)) &&
            (s.stack === '**' ||
              (s.stack === 'x/*/*' ? stack.startsWith('x/') : stack.endsWith('/prod')));
          const first = specs.findIndex(matches);
          expect(got).toBe(first === -1 ? 'default' : `r${first}`);
        },
      ),
    );
  });
});

describe('possibleRequirements', () => {
  const ruleSet: RuleSet = {
    rules: [
      rule('frozen', { stacks: ['acme/*/prod'], onlyWhen: 'freeze' }),
      rule('prod', { stacks: ['acme/*/prod'] }),
      rule('later', { stacks: ['acme/*/prod'] }),
      rule('dev-only', { stacks: ['acme/*/dev'], onlyWhen: 'busy' }),
    ],
    defaultRule,
  };

  it('lists the matching rules up to the first without onlyWhen', () => {
    expect(possibleRequirements(ruleSet, 'acme/web/prod', 'p').map((r) => r.rule)).toEqual([
      'frozen',
      'prod',
    ]);
  });

  it('ends with the default rule when every matching rule has onlyWhen', () => {
    expect(possibleRequirements(ruleSet, 'acme/web/dev', 'p').map((r) => r.rule)).toEqual([
      'dev-only',
      'default',
    ]);
  });

  it('is the default rule alone when nothing matches', () => {
    expect(possibleRequirements(ruleSet, 'other/web/prod', 'p').map((r) => r.rule)).toEqual([
      'default',
    ]);
  });
});

describe('longestDurationSeconds', () => {
  it('is the largest maximum of all rules', () => {
    expect(
      longestDurationSeconds({ rules: [rule('a', { maxDurationSeconds: 7200 })], defaultRule }),
    ).toBe(7200);
    expect(longestDurationSeconds({ rules: [], defaultRule })).toBe(3600);
  });
});
