import { describe, expect, it } from 'vitest';
import { UNKNOWN } from '../../sensitive-rule.js';
import {
  coversPorts,
  describePermission,
  isOpenCidr,
  normalizeProtocol,
  permissionMaterial,
} from './ip-permission.js';

describe('ip permissions', () => {
  it('normalizeProtocol', () => {
    expect(normalizeProtocol('TCP')).toBe('tcp');
    expect(normalizeProtocol(6)).toBe('tcp');
    expect(normalizeProtocol('all')).toBe('-1');
    expect(normalizeProtocol(-1)).toBe('-1');
    expect(normalizeProtocol('58')).toBe('icmpv6');
    expect(normalizeProtocol(UNKNOWN)).toBe(UNKNOWN);
  });

  it('isOpenCidr', () => {
    expect(isOpenCidr('0.0.0.0/0')).toBe(true);
    expect(isOpenCidr(' ::/0 ')).toBe(true);
    expect(isOpenCidr('10.0.0.0/0')).toBe(true);
    expect(isOpenCidr('0.0.0.0/8')).toBe(false);
    expect(isOpenCidr('0.0.0.0')).toBe(false);
    expect(isOpenCidr(undefined)).toBe(false);
    expect(isOpenCidr(UNKNOWN)).toBe(UNKNOWN);
  });

  it('coversPorts: ranges, all protocols, protocols without ports, missing ports as all', () => {
    const tcp = (fromPort: unknown, toPort: unknown) => ({
      protocol: 'tcp',
      fromPort,
      toPort,
      cidr: '0.0.0.0/0',
    });
    expect(coversPorts(tcp(20, 23), [22])).toBe(true);
    expect(coversPorts(tcp(23, 23), [22])).toBe(false);
    expect(coversPorts(tcp(undefined, undefined), [22])).toBe(true);
    expect(coversPorts(tcp(UNKNOWN, 23), [22])).toBe(UNKNOWN);
    expect(coversPorts(tcp(UNKNOWN, 23), [])).toBe(true);
    expect(coversPorts({ ...tcp(0, 0), protocol: '-1' }, [22])).toBe(true);
    expect(coversPorts({ ...tcp(-1, -1), protocol: 'icmp' }, [22])).toBe(false);
    expect(coversPorts({ ...tcp(0, 0), protocol: 'gre' }, [22])).toBe(false);
  });

  it('material and description', () => {
    expect(permissionMaterial({ protocol: 'all', fromPort: 0, toPort: 0, cidr: ' ::/0' })).toEqual({
      protocol: '-1',
      cidr: '::/0',
    });
    expect(
      describePermission({ protocol: 'udp', fromPort: 53, toPort: 53, cidr: '0.0.0.0/0' }),
    ).toBe('ingress from 0.0.0.0/0 on udp port 53');
    expect(
      describePermission({ protocol: 'icmp', fromPort: -1, toPort: -1, cidr: '0.0.0.0/0' }),
    ).toBe('ingress from 0.0.0.0/0 on icmp');
    expect(describePermission({ protocol: UNKNOWN, fromPort: 1, toPort: 2, cidr: UNKNOWN })).toBe(
      'ingress from an unknown CIDR on an unknown protocol',
    );
  });
});
