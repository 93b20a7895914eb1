import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UNKNOWN } from '../../sensitive-rule.js';
import {
  awsIamAdminGrant as rule,
  isAdminPolicyArn,
  isAdminStatement,
} from './aws-iam-admin-grant.js';
import {
  adminArn,
  baseline,
  logsPolicy,
  materialKey,
  readOnlyArn,
  resource,
} from '../fixtures/baselines.js';
import { UNKNOWN_SENTINEL, engineProps } from '../fixtures/engine-props.js';
import { awsTypes } from '../support/aws-types.js';

const config = rule.defaults;
const adminStatement = { Effect: 'Allow', Action: '*', Resource: '*' };
const adminDoc = { Version: '2012-10-17', Statement: [adminStatement] };

const attachments = [
  ['rolePolicyAttachment', 'policyArn', { role: 'app' }],
  ['userPolicyAttachment', 'policyArn', { user: 'alice' }],
  ['groupPolicyAttachment', 'policyArn', { group: 'devs' }],
  ['policyAttachment', 'policyArn', { users: ['alice'], roles: ['app'], groups: [] }],
] as const;
const exclusives = [
  ['rolePolicyAttachmentsExclusive', { role: 'app' }],
  ['userPolicyAttachmentsExclusive', { user: 'alice' }],
  ['groupPolicyAttachmentsExclusive', { group: 'devs' }],
] as const;
const inlinePolicies = [
  ['rolePolicy', { role: 'app' }],
  ['userPolicy', { user: 'alice' }],
  ['groupPolicy', { group: 'devs' }],
] as const;

describe('aws-iam-admin-grant: compliant baselines', () => {
  const names = [
    ...attachments.map(([n]) => n),
    ...exclusives.map(([n]) => n),
    ...inlinePolicies.map(([n]) => n),
    'policy',
    'role',
  ] as const;
  it.each(names)('%s', (name) => {
    expect(rule.detect(baseline(name), config)).toBeUndefined();
  });

  it('inspects exactly these types (PoliciesExclusive resources only hold names)', () => {
    expect([...rule.resourceTypes].sort()).toEqual(names.map((n) => awsTypes[n]).sort());
  });
});

describe('aws-iam-admin-grant: managed policies', () => {
  it.each(attachments)('%s of AdministratorAccess names the grantee', (name, key, grantee) => {
    const f = rule.detect(baseline(name, { [key]: adminArn }), config);
    expect(f).toEqual({
      summary: `managed policy ${adminArn} attached`,
      material: { grantee, managedPolicyArns: [adminArn] },
      unknown: false,
    });
  });

  it.each(exclusives)('%s listing IAMFullAccess', (name, grantee) => {
    const iamFull = 'arn:aws:iam::aws:policy/IAMFullAccess';
    const f = rule.detect(baseline(name, { policyArns: [readOnlyArn, iamFull] }), config);
    expect(f?.material).toEqual({ grantee, managedPolicyArns: [iamFull] });
  });

  it('role managedPolicyArns', () => {
    const f = rule.detect(baseline('role', { managedPolicyArns: [readOnlyArn, adminArn] }), config);
    expect(f?.material).toEqual({ managedPolicyArns: [adminArn] });
  });

  it('other partitions match by name; customer policies with the same name do not', () => {
    expect(
      isAdminPolicyArn('arn:aws-us-gov:iam::aws:policy/AdministratorAccess', [
        'AdministratorAccess',
      ]),
    ).toBe(true);
    expect(
      isAdminPolicyArn('arn:aws:iam::123456789012:policy/AdministratorAccess', [
        'AdministratorAccess',
      ]),
    ).toBe(false);
    expect(
      isAdminPolicyArn('arn:aws:iam::aws:policy/job-function/NetworkAdministrator', [
        'NetworkAdministrator',
      ]),
    ).toBe(true);
    expect(isAdminPolicyArn(UNKNOWN, ['AdministratorAccess'])).toBe(UNKNOWN);
  });

  it('a configured list replaces the defaults and may hold exact ARNs', () => {
    const custom = 'arn:aws:iam::123456789012:policy/BreakGlass';
    const cfg = { ...config, managedPolicies: ['PowerUserAccess', custom] };
    expect(rule.detect(baseline('rolePolicyAttachment', { policyArn: custom }), cfg)).toBeDefined();
    expect(
      rule.detect(
        baseline('rolePolicyAttachment', { policyArn: 'arn:aws:iam::aws:policy/PowerUserAccess' }),
        cfg,
      ),
    ).toBeDefined();
    expect(
      rule.detect(baseline('rolePolicyAttachment', { policyArn: adminArn }), cfg),
    ).toBeUndefined();
  });
});

describe('aws-iam-admin-grant: policy documents', () => {
  it.each(inlinePolicies)('%s with Action * on Resource * (JSON string)', (name, grantee) => {
    const f = rule.detect(baseline(name, { policy: JSON.stringify(adminDoc) }), config);
    expect(f?.material).toEqual({
      grantee,
      statements: [{ statement: { Effect: 'Allow', Action: ['*'], Resource: ['*'] } }],
    });
    expect(f?.summary).toBe('policy allows * on *');
  });

  it('aws.iam.Policy given as an object, with iam:* in an array', () => {
    const doc = {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: ['s3:GetObject', 'iam:*'], Resource: ['*'] }],
    };
    const f = rule.detect(baseline('policy', { policy: doc }), config);
    expect(f?.material).toEqual({
      statements: [
        { statement: { Effect: 'Allow', Action: ['iam:*', 's3:GetObject'], Resource: ['*'] } },
      ],
    });
  });

  it('role inline policies name the policy', () => {
    const f = rule.detect(
      baseline('role', {
        inlinePolicies: [
          { name: 'root', policy: JSON.stringify(adminDoc) },
          { name: 'logs', policy: JSON.stringify(logsPolicy) },
        ],
      }),
      config,
    );
    expect(f?.material).toEqual({
      statements: [
        { policyName: 'root', statement: { Effect: 'Allow', Action: ['*'], Resource: ['*'] } },
      ],
    });
    expect(f?.summary).toBe('policy (inline policy root) allows * on *');
  });

  it('a single Statement object (not a list) is read too', () => {
    expect(
      rule.detect(
        baseline('rolePolicy', { policy: JSON.stringify({ Statement: adminStatement }) }),
        config,
      ),
    ).toBeDefined();
  });

  it.each([
    ['Deny', { ...adminStatement, Effect: 'Deny' }],
    ['a narrower resource', { ...adminStatement, Resource: 'arn:aws:s3:::data/*' }],
    ['a service-wide but non-IAM action', { ...adminStatement, Action: 's3:*' }],
    ['a partial IAM action', { ...adminStatement, Action: 'iam:Get*' }],
  ])('not admin: %s', (_, statement) => {
    expect(
      rule.detect(
        baseline('rolePolicy', { policy: JSON.stringify({ Statement: [statement] }) }),
        config,
      ),
    ).toBeUndefined();
  });

  it.each([
    ['a wildcard that covers iam:*', { ...adminStatement, Action: 'IAM:*' }],
    ['a prefix glob that covers iam:*', { ...adminStatement, Action: 'i*' }],
    ['NotAction that leaves iam:* granted', { Effect: 'Allow', NotAction: 's3:*', Resource: '*' }],
    ['NotResource', { Effect: 'Allow', Action: '*', NotResource: 'arn:aws:s3:::x' }],
    ['Resource arn:aws:*:*:*:*', { ...adminStatement, Resource: 'arn:aws:*:*:*:*' }],
  ])('admin: %s', (_, statement) => {
    expect(isAdminStatement(statement, config.adminActions)).toBe(true);
  });

  it('NotAction that excludes part of IAM grants neither all of * nor all of iam:*', () => {
    const notAction = (NotAction: string[]) =>
      isAdminStatement({ Effect: 'Allow', NotAction, Resource: '*' }, config.adminActions);
    expect(notAction(['iam:*', 'organizations:*'])).toBe(false);
    expect(notAction(['iam:Delete*'])).toBe(false);
    expect(notAction(['ec2:*', 's3:*'])).toBe(true);
  });

  it('a document that is not JSON cannot be ruled out', () => {
    const f = rule.detect(baseline('userPolicy', { policy: '{"Statement": [' }), config);
    expect(f?.unknown).toBe(false);
    expect(f?.summary).toContain('not valid JSON');
    expect(f?.material).toEqual({
      grantee: { user: 'alice' },
      statements: [{ invalidDocument: '{"Statement": [' }],
    });
  });

  it('property: an Allow statement on * is admin exactly when an action pattern covers * or iam:*', () => {
    const action = fc.constantFrom(
      '*',
      'iam:*',
      's3:*',
      'iam:Get*',
      'ec2:Describe*',
      'i*',
      'sts:AssumeRole',
    );
    fc.assert(
      fc.property(fc.array(action, { minLength: 1, maxLength: 4 }), (actions) => {
        const expected = actions.some((a) => ['*', 'iam:*', 'i*'].includes(a));
        expect(
          isAdminStatement(
            { Effect: 'Allow', Action: actions, Resource: '*' },
            config.adminActions,
          ),
        ).toBe(expected);
      }),
    );
  });
});

describe('aws-iam-admin-grant: unknown values at preview', () => {
  const preview = (name: Parameters<typeof baseline>[0], change: object) => {
    const r = baseline(name, change);
    return { ...r, props: engineProps(r.props) };
  };

  it('an unknown policy ARN is unknown', () => {
    expect(
      rule.detect(preview('rolePolicyAttachment', { policyArn: UNKNOWN_SENTINEL }), config)
        ?.unknown,
    ).toBe(true);
  });

  it('an unknown grantee with a harmless policy is compliant; with an admin policy unknown', () => {
    expect(
      rule.detect(preview('rolePolicyAttachment', { role: UNKNOWN_SENTINEL }), config),
    ).toBeUndefined();
    const f = rule.detect(
      preview('rolePolicyAttachment', { role: UNKNOWN_SENTINEL, policyArn: adminArn }),
      config,
    );
    expect(f?.unknown).toBe(true);
  });

  it('an unknown policy document is unknown', () => {
    expect(rule.detect(preview('rolePolicy', { policy: UNKNOWN_SENTINEL }), config)?.unknown).toBe(
      true,
    );
    expect(
      rule.detect(preview('role', { inlinePolicies: UNKNOWN_SENTINEL }), config)?.unknown,
    ).toBe(true);
    expect(
      rule.detect(preview('role', { managedPolicyArns: UNKNOWN_SENTINEL }), config)?.unknown,
    ).toBe(true);
  });

  it('an object document with an unknown Resource: unknown if the action is admin, compliant if not', () => {
    const doc = (Action: string) => ({
      Statement: [{ Effect: 'Allow', Action, Resource: UNKNOWN_SENTINEL }],
    });
    expect(rule.detect(preview('policy', { policy: doc('*') }), config)?.unknown).toBe(true);
    expect(rule.detect(preview('policy', { policy: doc('s3:GetObject') }), config)).toBeUndefined();
  });

  it('unknown values elsewhere do not matter', () => {
    expect(
      rule.detect(
        preview('role', { tags: UNKNOWN_SENTINEL, permissionsBoundary: UNKNOWN_SENTINEL }),
        config,
      ),
    ).toBeUndefined();
  });
});

describe('aws-iam-admin-grant: material', () => {
  const admin = (change: object) => rule.detect(baseline('role', change), config);
  const stmt = (over: object) => ({
    inlinePolicies: [
      { name: 'root', policy: JSON.stringify({ Statement: [{ ...adminStatement, ...over }] }) },
    ],
  });

  it('is stable for the same state; Sid, key order and action order do not matter', () => {
    const a = admin(stmt({ Action: ['*', 'iam:*'] }));
    const b = admin({
      inlinePolicies: [
        {
          name: 'root',
          policy: JSON.stringify({
            Statement: [{ Resource: '*', Sid: 'x', Action: ['iam:*', '*'], Effect: 'Allow' }],
          }),
        },
      ],
    });
    expect(materialKey(a)).toBeDefined();
    expect(materialKey(a)).toBe(materialKey(b));
  });

  it('changes with the statement (a condition added) and with the grantee', () => {
    const a = admin(stmt({}));
    expect(
      materialKey(admin(stmt({ Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } } }))),
    ).not.toBe(materialKey(a));
    const toApp = rule.detect(baseline('rolePolicyAttachment', { policyArn: adminArn }), config);
    const toOps = rule.detect(
      baseline('rolePolicyAttachment', { policyArn: adminArn, role: 'ops' }),
      config,
    );
    expect(materialKey(toOps)).not.toBe(materialKey(toApp));
  });

  it('ignores harmless statements, other managed policies, tags and descriptions', () => {
    const a = admin(stmt({}));
    const b = admin({
      ...stmt({}),
      managedPolicyArns: [],
      tags: { other: 'x' },
      description: 'changed',
    });
    const c = rule.detect(
      resource(awsTypes.role, {
        assumeRolePolicy: '{}',
        inlinePolicies: [
          {
            name: 'root',
            policy: JSON.stringify({ Statement: [adminStatement, logsPolicy.Statement[0]] }),
          },
        ],
      }),
      config,
    );
    expect(materialKey(b)).toBe(materialKey(a));
    expect(materialKey(c)).toBe(materialKey(a));
  });
});
