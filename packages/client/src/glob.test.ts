import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { globsOverlap, matchesGlob } from './glob.js';

const segment = fc.stringMatching(/^[A-Za-z0-9._()+$^-]{1,12}$/);
const stackName = fc.tuple(segment, segment, segment).map((parts) => parts.join('/'));

describe('matchesGlob', () => {
  it('matches `*` within one segment only', () => {
    expect(matchesGlob('acme/web/prod', 'acme/*/prod')).toBe(true);
    expect(matchesGlob('acme/web/prod', 'acme/*')).toBe(false);
    expect(matchesGlob('acme/web/prod-eu', 'acme/web/prod*')).toBe(true);
    expect(matchesGlob('acme/web/staging', 'acme/web/prod*')).toBe(false);
  });

  it('matches `**` across segments', () => {
    expect(matchesGlob('acme/web/prod', 'acme/**')).toBe(true);
    expect(matchesGlob('acme/web/prod', '**/prod')).toBe(true);
    expect(matchesGlob('other/web/prod', 'acme/**')).toBe(false);
  });

  it('reads a Pulumi type as segments: `*` stays inside one, `**` spans them', () => {
    const type = 'aws:ec2/securityGroup:SecurityGroup';
    expect(matchesGlob(type, 'aws:**')).toBe(true);
    expect(matchesGlob(type, 'aws:*')).toBe(false);
    expect(matchesGlob(type, 'aws:ec2/*')).toBe(true);
    expect(matchesGlob(type, 'aws:ec2/*:*')).toBe(true);
    expect(matchesGlob(type, 'aws:*/securityGroup:SecurityGroup')).toBe(true);
    expect(matchesGlob(type, 'aws:s3/*')).toBe(false);
    expect(matchesGlob(type, 'aws:ec2/securityGroup:SecurityGrou?')).toBe(true);
    expect(matchesGlob(type, 'aws:ec2/securityGroup:SecurityGroup?')).toBe(false);
    expect(matchesGlob(type, 'aws:ec2?securityGroup:SecurityGroup')).toBe(false);
    expect(matchesGlob(type, '**')).toBe(true);
  });

  it('matches the whole name, never a part of it', () => {
    expect(matchesGlob('aws:s3/bucket:Bucket', 'aws:s3')).toBe(false);
    expect(matchesGlob('aws:s3/bucket:Bucket', 'bucket:Bucket')).toBe(false);
    expect(matchesGlob('acme/web/prod', 'web')).toBe(false);
  });

  it('matches case-sensitively unless told to ignore case', () => {
    expect(matchesGlob('IAM:PassRole', 'iam:*')).toBe(false);
    expect(matchesGlob('IAM:PassRole', 'iam:*', { ignoreCase: true })).toBe(true);
    expect(matchesGlob('IAM:PassRole', 'iam:passrol?', { ignoreCase: true })).toBe(true);
  });

  it("treats regular expression and other glob languages' characters literally", () => {
    expect(matchesGlob('a(b)+', 'a(b)+')).toBe(true);
    expect(matchesGlob('a[b]/{c,d}/!e', 'a[b]/{c,d}/!e')).toBe(true);
    expect(matchesGlob('ab/c/e', 'a[b]/{c,d}/!e')).toBe(false);
    expect(matchesGlob('.hidden/p/s', '*/p/s')).toBe(true);
  });

  it('treats regular expression characters literally', () => {
    expect(matchesGlob('a.c/p/s', 'a.c/p/s')).toBe(true);
    expect(matchesGlob('abc/p/s', 'a.c/p/s')).toBe(false);
    expect(matchesGlob('a+/p/s', 'a+/p/s')).toBe(true);
    expect(matchesGlob('aa/p/s', 'a+/p/s')).toBe(false);
  });

  it('matches every name against itself, `**` and `*/*/*`', () => {
    fc.assert(
      fc.property(stackName, (name) => {
        expect(matchesGlob(name, name)).toBe(true);
        expect(matchesGlob(name, '**')).toBe(true);
        expect(matchesGlob(name, '*/*/*')).toBe(true);
        expect(matchesGlob(name, '*')).toBe(false);
      }),
    );
  });

  it('matches any literal name against itself and `**`, and against `*` when it has no `/`', () => {
    fc.assert(
      fc.property(
        fc.string().filter((s) => !/[*?]/.test(s)),
        (name) => {
          expect(matchesGlob(name, name)).toBe(true);
          expect(matchesGlob(name, '**')).toBe(true);
          expect(matchesGlob(name, '*')).toBe(!name.includes('/'));
        },
      ),
    );
  });

  it('matches a segment wildcard only where the segment sits', () => {
    fc.assert(
      fc.property(segment, segment, segment, segment, (org, project, stack, other) => {
        fc.pre(other !== org);
        expect(matchesGlob(`${org}/${project}/${stack}`, `${org}/*/${stack}`)).toBe(true);
        expect(matchesGlob(`${other}/${project}/${stack}`, `${org}/*/${stack}`)).toBe(false);
      }),
    );
  });
});

describe('globsOverlap', () => {
  it('is true when either glob matches the other read as a name', () => {
    expect(globsOverlap('iam:*', '**')).toBe(true);
    expect(globsOverlap('iam:*', '*')).toBe(true);
    expect(globsOverlap('iam:Get*', 'iam:*')).toBe(true);
    expect(globsOverlap('iam:*', 'iam:Get*')).toBe(true);
    expect(globsOverlap('s3:*', 'iam:*')).toBe(false);
    expect(globsOverlap('IAM:*', 'iam:Get*', { ignoreCase: true })).toBe(true);
  });

  it('errs towards false: it misses overlaps neither glob shows as text', () => {
    // Both match iam:GetUser, yet neither matches the other.
    expect(matchesGlob('iam:GetUser', '*User') && matchesGlob('iam:GetUser', 'iam:*')).toBe(true);
    expect(globsOverlap('*User', 'iam:*')).toBe(false);
  });
});
