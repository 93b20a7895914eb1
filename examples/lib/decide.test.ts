import { describe, expect, it } from 'vitest';
import { decideTemporary } from './decide.js';
import { resourceUrn } from './index.js';

const approved = {
  active: true as const,
  requestId: 'r1',
  policy: 'p',
  expiresAt: '2026-01-05T11:00:00.000Z',
  source: 'service' as const,
};
const none = { active: false as const, reason: 'no approval is active' };

describe('decideTemporary', () => {
  it('includes an approved resource, requested or not', () => {
    for (const requested of [false, true]) {
      expect(decideTemporary(approved, requested)).toEqual({
        include: true,
        status: 'approved',
        expiresAt: approved.expiresAt,
        requestId: 'r1',
      });
    }
  });

  it('decides nothing when the service could not say, requested or not', () => {
    const unknown = { active: false as const, undetermined: true as const, reason: 'unreachable' };
    for (const requested of [false, true]) {
      expect(decideTemporary(unknown, requested)).toEqual({
        include: false,
        status: 'undetermined',
        reason: 'unreachable',
      });
    }
  });

  it('includes an unapproved resource only when requested, so the pack opens the request', () => {
    expect(decideTemporary(none, true)).toEqual({
      include: true,
      status: 'requested',
      reason: none.reason,
    });
  });

  it('leaves an unapproved resource out, so an update removes it', () => {
    expect(decideTemporary(none, false)).toEqual({
      include: false,
      status: 'absent',
      reason: none.reason,
    });
  });
});

describe('resourceUrn', () => {
  it('builds the URN Pulumi gives a resource, with its parent type chain', () => {
    const base = {
      stack: 'prod',
      project: 'net',
      type: 'aws:ec2/securityGroup:SecurityGroup',
      name: 'web',
    };
    expect(resourceUrn(base)).toBe(
      'urn:pulumi:prod::net::aws:ec2/securityGroup:SecurityGroup::web',
    );
    expect(resourceUrn({ ...base, parentType: 'acme:index:Bastion' })).toBe(
      'urn:pulumi:prod::net::acme:index:Bastion$aws:ec2/securityGroup:SecurityGroup::web',
    );
  });
});
