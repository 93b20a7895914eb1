import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { globsOverlap, matchesGlob } from './glob.js';

describe('matchesGlob', () => {
  it('* spans any characters including : and /, ? one character', () => {
    expect(matchesGlob('aws:s3/bucket:Bucket', 'aws:*')).toBe(true);
    expect(matchesGlob('aws:s3/bucket:Bucket', 'aws:s3/bucket:Bucke?')).toBe(true);
    expect(matchesGlob('aws:s3/bucket:Bucket', 'aws:s3/bucket:Bucket?')).toBe(false);
    expect(matchesGlob('aws:s3/bucket:Bucket', 'aws:ec2/*')).toBe(false);
  });

  it('everything else is literal, and case matters unless told otherwise', () => {
    expect(matchesGlob('a.b', 'a.b')).toBe(true);
    expect(matchesGlob('axb', 'a.b')).toBe(false);
    expect(matchesGlob('a(b)+', 'a(b)+')).toBe(true);
    expect(matchesGlob('IAM:PassRole', 'iam:*')).toBe(false);
    expect(matchesGlob('IAM:PassRole', 'iam:*', true)).toBe(true);
  });

  it('property: a literal matches itself, and * matches everything', () => {
    fc.assert(
      fc.property(
        fc.string().filter((s) => !/[*?]/.test(s)),
        (text) => {
          expect(matchesGlob(text, text)).toBe(true);
          expect(matchesGlob(text, '*')).toBe(true);
        },
      ),
    );
  });
});

describe('globsOverlap', () => {
  it('is true when either pattern matches the other as text', () => {
    expect(globsOverlap('iam:*', '*')).toBe(true);
    expect(globsOverlap('iam:Get*', 'iam:*')).toBe(true);
    expect(globsOverlap('s3:*', 'iam:*')).toBe(false);
  });
});
