import { describe, expect, it } from 'vitest';
import { addressKey, clientAddressKey } from './client-address.js';

describe('addressKey', () => {
  it('keeps an IPv4 address and unwraps an IPv4-mapped IPv6 one', () => {
    expect(addressKey('203.0.113.7')).toBe('203.0.113.7');
    expect(addressKey('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(addressKey('::FFFF:cb00:7107')).toBe('203.0.113.7');
  });

  it('groups IPv6 addresses by their /64 network, however they are written', () => {
    const key = '2001:db8:0:1::/64';
    expect(addressKey('2001:db8:0:1::1')).toBe(key);
    expect(addressKey('2001:0db8:0000:0001:ffff:0:0:99')).toBe(key);
    expect(addressKey('2001:DB8:0:1:a:b:c:d%eth0')).toBe(key);
    expect(addressKey('2001:db8:0:2::1')).toBe('2001:db8:0:2::/64');
    expect(addressKey('::1')).toBe('0:0:0:0::/64');
    expect(addressKey('fe80::1:2:3.4.5.6')).toBe('fe80:0:0:0::/64');
  });

  it('turns anything that is no address into "unknown"', () => {
    expect(addressKey(undefined)).toBe('unknown');
    expect(addressKey('')).toBe('unknown');
    expect(addressKey('evil\nline')).toBe('unknown');
    expect(addressKey('1.2.3.4.5')).toBe('unknown');
  });
});

describe('clientAddressKey', () => {
  const seen = { connection: '10.0.0.9', forwardedFor: '198.51.100.1, 198.51.100.2' };

  it('takes the connection and ignores X-Forwarded-For unless the proxy is trusted', () => {
    expect(clientAddressKey(seen, false)).toBe('10.0.0.9');
    expect(clientAddressKey({ connection: undefined, forwardedFor: '198.51.100.1' }, false)).toBe(
      'unknown',
    );
  });

  it('with a trusted proxy takes the last forwarded entry, the one the proxy appended', () => {
    expect(clientAddressKey(seen, true)).toBe('198.51.100.2');
    expect(clientAddressKey({ ...seen, forwardedFor: '2001:db8::5' }, true)).toBe(
      '2001:db8:0:0::/64',
    );
  });

  it('falls back to the connection when the forwarded entry is no address', () => {
    expect(clientAddressKey({ ...seen, forwardedFor: '198.51.100.1, garbage' }, true)).toBe(
      '10.0.0.9',
    );
    expect(clientAddressKey({ connection: '10.0.0.9' }, true)).toBe('10.0.0.9');
  });
});
