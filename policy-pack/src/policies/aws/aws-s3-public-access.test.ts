import { describe, expect, it } from 'vitest';
import { UNKNOWN_PLACEHOLDER } from '../../sensitive-rule.js';
import { awsS3PublicAccess as rule } from './aws-s3-public-access.js';
import { baseline, materialKey, resource } from '../fixtures/baselines.js';
import { UNKNOWN_SENTINEL, engineProps } from '../fixtures/engine-props.js';
import { awsTypes } from '../support/aws-types.js';

const config = rule.defaults;
const allUsers = 'http://acs.amazonaws.com/groups/global/AllUsers';
const publicRead = {
  Effect: 'Allow',
  Principal: '*',
  Action: 's3:GetObject',
  Resource: 'arn:aws:s3:::data/*',
};
const policyOf = (...Statement: object[]) => JSON.stringify({ Version: '2012-10-17', Statement });
const names = [
  'bucketPublicAccessBlock',
  'accountPublicAccessBlock',
  'bucket',
  'bucketV2',
  'bucketAcl',
  'bucketAclV2',
  'bucketPolicy',
] as const;

describe('aws-s3-public-access: compliant baselines', () => {
  it.each(names)('%s', (name) => {
    expect(rule.detect(baseline(name), config)).toBeUndefined();
  });

  it('inspects exactly these types', () => {
    expect([...rule.resourceTypes].sort()).toEqual(names.map((n) => awsTypes[n]).sort());
  });
});

describe('aws-s3-public-access: public access blocks', () => {
  const flags = [
    'blockPublicAcls',
    'blockPublicPolicy',
    'ignorePublicAcls',
    'restrictPublicBuckets',
  ] as const;

  it.each(['bucketPublicAccessBlock', 'accountPublicAccessBlock'] as const)(
    '%s: each flag false or absent',
    (name) => {
      for (const flag of flags) {
        expect(rule.detect(baseline(name, { [flag]: false }), config)).toEqual({
          summary: `public access block leaves ${flag} off`,
          material: { disabledFlags: [flag] },
          unknown: false,
        });
        const absent = baseline(name);
        delete absent.props[flag];
        expect(rule.detect(absent, config)?.material).toEqual({ disabledFlags: [flag] });
      }
    },
  );

  it('can be switched off', () => {
    expect(
      rule.detect(baseline('bucketPublicAccessBlock', { blockPublicAcls: false }), {
        ...config,
        checkPublicAccessBlock: false,
      }),
    ).toBeUndefined();
  });
});

describe('aws-s3-public-access: ACLs', () => {
  it.each(['bucket', 'bucketV2', 'bucketAcl', 'bucketAclV2'] as const)(
    '%s with a public canned ACL',
    (name) => {
      for (const acl of ['public-read', 'public-read-write', 'authenticated-read']) {
        expect(rule.detect(baseline(name, { acl }), config)).toEqual({
          summary: `canned ACL ${acl}`,
          material: { acls: [acl] },
          unknown: false,
        });
      }
      expect(rule.detect(baseline(name, { acl: 'log-delivery-write' }), config)).toBeUndefined();
      expect(
        rule.detect(baseline(name, { acl: 'public-read' }), { ...config, checkAcl: false }),
      ).toBeUndefined();
      expect(
        rule.detect(baseline(name, { acl: 'public-read' }), {
          ...config,
          publicAcls: ['public-read-write'],
        }),
      ).toBeUndefined();
    },
  );

  it('bucket grants to all users', () => {
    const grants = [{ type: 'Group', uri: allUsers, permissions: ['READ_ACP', 'READ'] }];
    const f = rule.detect(baseline('bucket', { grants }), config);
    expect(f?.material).toEqual({
      publicGrants: [{ uri: allUsers, permissions: ['READ', 'READ_ACP'] }],
    });
    expect(f?.summary).toBe(`ACL grants READ_ACP, READ to ${allUsers}`);
    const owner = [{ type: 'CanonicalUser', id: 'abc', permissions: ['FULL_CONTROL'] }];
    expect(rule.detect(baseline('bucket', { grants: owner }), config)).toBeUndefined();
  });

  it('bucket ACL access control policy granting authenticated users', () => {
    const authenticated = 'http://acs.amazonaws.com/groups/global/AuthenticatedUsers';
    const accessControlPolicy = {
      owner: { id: 'abc' },
      grants: [
        { grantee: { type: 'CanonicalUser', id: 'abc' }, permission: 'FULL_CONTROL' },
        { grantee: { type: 'Group', uri: authenticated }, permission: 'READ' },
      ],
    };
    const f = rule.detect(baseline('bucketAclV2', { acl: undefined, accessControlPolicy }), config);
    expect(f?.material).toEqual({ publicGrants: [{ uri: authenticated, permissions: ['READ'] }] });
  });
});

describe('aws-s3-public-access: bucket policies', () => {
  it('Principal * or {AWS: *} with Allow', () => {
    const f = rule.detect(baseline('bucketPolicy', { policy: policyOf(publicRead) }), config);
    expect(f).toEqual({
      summary: 'bucket policy allows s3:GetObject to everyone (Principal *)',
      material: {
        publicStatements: [
          {
            Effect: 'Allow',
            Principal: '*',
            Action: ['s3:GetObject'],
            Resource: ['arn:aws:s3:::data/*'],
          },
        ],
      },
      unknown: false,
    });
    expect(
      rule.detect(
        baseline('bucketPolicy', {
          policy: policyOf({ ...publicRead, Principal: { AWS: ['*'] } }),
        }),
        config,
      ),
    ).toBeDefined();
  });

  it('Deny for everyone and Allow for an account are not public', () => {
    expect(
      rule.detect(
        baseline('bucketPolicy', { policy: policyOf({ ...publicRead, Effect: 'Deny' }) }),
        config,
      ),
    ).toBeUndefined();
  });

  it('the inline policy of a bucket counts, and the check can be switched off', () => {
    expect(rule.detect(baseline('bucket', { policy: policyOf(publicRead) }), config)).toBeDefined();
    expect(
      rule.detect(baseline('bucketPolicy', { policy: policyOf(publicRead) }), {
        ...config,
        checkBucketPolicy: false,
      }),
    ).toBeUndefined();
  });

  it('a policy that is not JSON cannot be ruled out', () => {
    expect(rule.detect(baseline('bucketPolicy', { policy: '{' }), config)?.material).toEqual({
      invalidPolicies: ['{'],
    });
  });
});

describe('aws-s3-public-access: unknown values at preview', () => {
  const preview = (name: (typeof names)[number], change: object) => {
    const r = baseline(name, change);
    return { ...r, props: engineProps(r.props) };
  };

  it('unknown flags, ACLs, grants and policies are unknown', () => {
    expect(
      rule.detect(
        preview('bucketPublicAccessBlock', { blockPublicPolicy: UNKNOWN_SENTINEL }),
        config,
      )?.unknown,
    ).toBe(true);
    expect(rule.detect(preview('bucketAcl', { acl: UNKNOWN_SENTINEL }), config)?.unknown).toBe(
      true,
    );
    expect(
      rule.detect(
        preview('bucket', {
          grants: [{ type: 'Group', uri: UNKNOWN_SENTINEL, permissions: ['READ'] }],
        }),
        config,
      )?.unknown,
    ).toBe(true);
    const f = rule.detect(preview('bucketPolicy', { policy: UNKNOWN_SENTINEL }), config);
    expect(f?.unknown).toBe(true);
    expect(f?.material).toEqual({ publicStatements: [UNKNOWN_PLACEHOLDER] });
  });

  it('an unknown principal in a Deny is compliant; the bucket name unknown does not matter', () => {
    const deny = { Statement: [{ ...publicRead, Effect: 'Deny', Principal: UNKNOWN_SENTINEL }] };
    expect(
      rule.detect(preview('bucketPolicy', { policy: deny, bucket: UNKNOWN_SENTINEL }), config),
    ).toBeUndefined();
    expect(
      rule.detect(preview('bucketPublicAccessBlock', { bucket: UNKNOWN_SENTINEL }), config),
    ).toBeUndefined();
  });

  it('an unknown acl is not looked at when ACL checks are off', () => {
    expect(
      rule.detect(preview('bucketAcl', { acl: UNKNOWN_SENTINEL }), { ...config, checkAcl: false }),
    ).toBeUndefined();
  });
});

describe('aws-s3-public-access: material', () => {
  it('is stable and ignores statement order, Sid and unrelated fields', () => {
    const scoped = {
      Effect: 'Allow',
      Principal: { AWS: 'arn:aws:iam::111122223333:root' },
      Action: 's3:*',
      Resource: '*',
    };
    const a = rule.detect(baseline('bucket', { policy: policyOf(publicRead, scoped) }), config);
    const b = rule.detect(
      baseline('bucket', {
        policy: policyOf(scoped, { Sid: 'public', ...publicRead }),
        tags: { other: 'x' },
      }),
      config,
    );
    expect(materialKey(a)).toBeDefined();
    expect(materialKey(b)).toBe(materialKey(a));
  });

  it('changes with what is public', () => {
    const a = rule.detect(baseline('bucketPolicy', { policy: policyOf(publicRead) }), config);
    const b = rule.detect(
      baseline('bucketPolicy', { policy: policyOf({ ...publicRead, Action: 's3:PutObject' }) }),
      config,
    );
    expect(materialKey(b)).not.toBe(materialKey(a));
    const two = baseline('bucketPublicAccessBlock', {
      blockPublicAcls: false,
      ignorePublicAcls: false,
    });
    const one = baseline('bucketPublicAccessBlock', { blockPublicAcls: false });
    expect(materialKey(rule.detect(two, config))).not.toBe(materialKey(rule.detect(one, config)));
  });

  it('other types are not inspected', () => {
    expect(
      rule.detect(
        resource(awsTypes.role, { acl: 'public-read', policy: policyOf(publicRead) }),
        config,
      ),
    ).toBeUndefined();
  });
});
