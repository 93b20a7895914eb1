import { SecretValue } from '@clearance/client';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  accountOf,
  awsIamRoleExternalTrust as rule,
  type IamRoleExternalTrustConfig,
} from './aws-iam-role-external-trust.js';
import { baseline, lambdaTrust, materialKey, resource } from '../fixtures/baselines.js';
import { UNKNOWN_SENTINEL, engineProps } from '../fixtures/engine-props.js';
import { awsTypes } from '../support/aws-types.js';

const own = '111122223333';
const partner = '444455556666';
const config: IamRoleExternalTrustConfig = {
  trustedAccounts: [own, `arn:aws:iam::${partner}:root`],
};
const assume = { Effect: 'Allow', Action: 'sts:AssumeRole' };
const trust = (...Statement: object[]) =>
  baseline('role', { assumeRolePolicy: JSON.stringify({ Version: '2012-10-17', Statement }) });

describe('aws-iam-role-external-trust: baseline and one field at a time', () => {
  it('a service principal is not external', () => {
    expect(rule.detect(baseline('role'), config)).toBeUndefined();
    expect(rule.detect(baseline('role'), rule.defaults)).toBeUndefined();
    expect(rule.resourceTypes).toEqual([awsTypes.role]);
  });

  it('Principal "*"', () => {
    const f = rule.detect(trust({ ...assume, Principal: '*' }), config);
    expect(f).toEqual({
      summary: 'trust policy admits everyone (Principal *)',
      material: { externalPrincipals: [{ principal: '*', Action: ['sts:AssumeRole'] }] },
      unknown: false,
      propertyNames: {
        'externalPrincipals[0]': 'assumeRolePolicy.Statement[0]',
        'externalPrincipals[0].principal': 'assumeRolePolicy.Statement[0].Principal',
      },
    });
  });

  it('names each admitted principal by the trust policy statement that admits it', () => {
    const outsider = 'arn:aws:iam::999988887777:root';
    const f = rule.detect(
      baseline('role', {
        assumeRolePolicy: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            { ...assume, Principal: { Service: 'lambda.amazonaws.com' } },
            { ...assume, Principal: { AWS: outsider } },
          ],
        }),
      }),
      config,
    );
    expect(f?.material).toEqual({
      externalPrincipals: [{ principal: outsider, Action: ['sts:AssumeRole'] }],
    });
    expect(f?.propertyNames).toEqual({
      'externalPrincipals[0]': 'assumeRolePolicy.Statement[1]',
      'externalPrincipals[0].principal': 'assumeRolePolicy.Statement[1].Principal',
    });
    const broken = rule.detect(baseline('role', { assumeRolePolicy: '{not json' }), config);
    expect(broken?.propertyNames).toEqual({
      'externalPrincipals[0].invalidDocument': 'assumeRolePolicy',
    });
  });

  it('Principal {AWS: "*"} and NotPrincipal', () => {
    expect(rule.detect(trust({ ...assume, Principal: { AWS: '*' } }), config)?.summary).toBe(
      'trust policy admits everyone (Principal *)',
    );
    expect(
      rule.detect(trust({ ...assume, NotPrincipal: { AWS: `arn:aws:iam::${own}:root` } }), config),
    ).toBeDefined();
  });

  it('accounts in the trusted list, by id or by ARN, are not external', () => {
    const principals = [
      own,
      `arn:aws:iam::${own}:role/ci`,
      `arn:aws:iam::${partner}:root`,
      `arn:aws:sts::${own}:assumed-role/x/y`,
    ];
    expect(
      rule.detect(trust({ ...assume, Principal: { AWS: principals } }), config),
    ).toBeUndefined();
  });

  it('an account outside the list is external; the list replaces, not extends', () => {
    const outsider = 'arn:aws:iam::999988887777:root';
    const f = rule.detect(trust({ ...assume, Principal: { AWS: [own, outsider] } }), config);
    expect(f?.summary).toBe(`trust policy admits account 999988887777 (${outsider})`);
    expect(f?.material).toEqual({
      externalPrincipals: [{ principal: outsider, Action: ['sts:AssumeRole'] }],
    });
    expect(rule.detect(trust({ ...assume, Principal: { AWS: own } }), rule.defaults)).toBeDefined();
  });

  it('a principal whose account cannot be read counts as external', () => {
    expect(
      rule.detect(trust({ ...assume, Principal: { AWS: 'AROAEXAMPLEID' } }), config),
    ).toBeDefined();
  });

  it('Deny statements and federated or service principals do not count', () => {
    expect(
      rule.detect(trust({ ...assume, Effect: 'Deny', Principal: '*' }), config),
    ).toBeUndefined();
    const federated = {
      Federated: `arn:aws:iam::${own}:oidc-provider/token.actions.githubusercontent.com`,
    };
    expect(rule.detect(trust({ ...assume, Principal: federated }), config)).toBeUndefined();
  });

  it('only roles are inspected', () => {
    expect(
      rule.detect(
        resource(awsTypes.policy, {
          assumeRolePolicy: JSON.stringify({ Statement: [{ ...assume, Principal: '*' }] }),
        }),
        config,
      ),
    ).toBeUndefined();
  });

  it('the trust policy may be an object instead of a JSON string', () => {
    const r = baseline('role', {
      assumeRolePolicy: { Version: '2012-10-17', Statement: [{ ...assume, Principal: '*' }] },
    });
    expect(rule.detect(r, config)).toBeDefined();
  });

  it('a trust policy that is not JSON cannot be ruled out', () => {
    const f = rule.detect(baseline('role', { assumeRolePolicy: 'not json' }), config);
    expect(f?.summary).toContain('not valid JSON');
    expect(f?.unknown).toBe(false);
  });

  it('property: accountOf reads ids and IAM/STS ARNs only', () => {
    const id = fc.stringMatching(/^\d{12}$/);
    fc.assert(
      fc.property(id, fc.constantFrom('root', 'role/x', 'user/a/b'), (acct, rest) => {
        expect(accountOf(acct)).toBe(acct);
        expect(accountOf(`arn:aws:iam::${acct}:${rest}`)).toBe(acct);
        expect(accountOf(`arn:aws-cn:sts::${acct}:${rest}`)).toBe(acct);
        expect(accountOf(`arn:aws:s3:::${acct}`)).toBeUndefined();
        expect(accountOf(`${acct}0`)).toBeUndefined();
      }),
    );
  });
});

describe('aws-iam-role-external-trust: unknown values at preview', () => {
  const preview = (assumeRolePolicy: unknown) => {
    const r = baseline('role', { assumeRolePolicy });
    return { ...r, props: engineProps(r.props) };
  };

  it('an unknown trust policy is unknown', () => {
    expect(rule.detect(preview(UNKNOWN_SENTINEL), config)?.unknown).toBe(true);
  });

  it('an unknown principal in an Allow is unknown; in a Deny compliant', () => {
    const doc = (Effect: string) => ({
      Statement: [{ ...assume, Effect, Principal: { AWS: UNKNOWN_SENTINEL } }],
    });
    expect(rule.detect(preview(doc('Allow')), config)?.unknown).toBe(true);
    expect(rule.detect(preview(doc('Deny')), config)).toBeUndefined();
  });

  it('an unknown principal beside a known external one is still unknown (material incomplete)', () => {
    const doc = { Statement: [{ ...assume, Principal: { AWS: ['*', UNKNOWN_SENTINEL] } }] };
    const f = rule.detect(preview(doc), config);
    expect(f?.unknown).toBe(true);
    expect(f?.summary).toContain('trust policy admits everyone (Principal *)');
  });

  it('an unknown Effect with a trusted principal is compliant', () => {
    const doc = { Statement: [{ ...assume, Effect: UNKNOWN_SENTINEL, Principal: { AWS: own } }] };
    expect(rule.detect(preview(doc), config)).toBeUndefined();
  });
});

describe('aws-iam-role-external-trust: material', () => {
  const outsider = { ...assume, Principal: { AWS: 'arn:aws:iam::999988887777:root' } };

  it('is stable and ignores trusted principals, tags, statement ids and policies', () => {
    const a = rule.detect(trust(outsider), config);
    const b = rule.detect(
      resource(awsTypes.role, {
        assumeRolePolicy: JSON.stringify({
          Statement: [lambdaTrust.Statement[0], { Sid: 'x', ...outsider }],
        }),
        tags: { any: 'thing' },
        managedPolicyArns: ['arn:aws:iam::aws:policy/AdministratorAccess'],
      }),
      config,
    );
    expect(materialKey(a)).toBeDefined();
    expect(materialKey(b)).toBe(materialKey(a));
  });

  it('changes with the principal and with the condition', () => {
    const a = rule.detect(trust(outsider), config);
    const other = { ...outsider, Principal: { AWS: 'arn:aws:iam::999988887776:root' } };
    expect(materialKey(rule.detect(trust(other), config))).not.toBe(materialKey(a));
    const conditioned = { ...outsider, Condition: { StringEquals: { 'sts:ExternalId': 'abc' } } };
    expect(materialKey(rule.detect(trust(conditioned), config))).not.toBe(materialKey(a));
  });

  it('an external id in a condition enters material only as a hash', () => {
    const conditioned = { ...outsider, Condition: { StringEquals: { 'sts:ExternalId': 'abc' } } };
    const f = rule.detect(trust(conditioned), config);
    const entry = (
      f?.material.externalPrincipals as { Condition: { StringEquals: Record<string, unknown> } }[]
    )[0];
    expect(entry?.Condition.StringEquals['sts:ExternalId']).toBeInstanceOf(SecretValue);
    expect(materialKey(f)).not.toContain('abc');
  });
});
