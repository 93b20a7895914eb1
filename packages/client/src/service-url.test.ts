import { describe, expect, it } from 'vitest';
import { isClearanceError } from './errors.js';
import { checkServiceUrl, isLoopbackHost } from './service-url.js';

function codeOf(url: string, allowInsecureHttp?: boolean): string {
  try {
    checkServiceUrl(url, { allowInsecureHttp });
    return 'ok';
  } catch (err) {
    if (isClearanceError(err)) return err.code;
    throw err;
  }
}

describe('checkServiceUrl', () => {
  it('accepts https anywhere and plain http to loopback', () => {
    for (const url of [
      'https://clearance.example.com',
      'https://10.0.0.7:8443/base',
      'http://127.0.0.1:8080',
      'http://127.8.9.10',
      'http://localhost:3000',
      'http://[::1]:8080',
    ]) {
      expect({ url, code: codeOf(url) }).toEqual({ url, code: 'ok' });
    }
  });

  it('refuses plain http to any other host unless explicitly allowed', () => {
    for (const url of [
      'http://clearance.example.com',
      'http://10.0.0.7:8080',
      'http://128.0.0.1',
      'http://localhost.evil.example',
      'http://[::ffff:7f00:1]',
    ]) {
      expect({ url, code: codeOf(url) }).toEqual({ url, code: 'ERR_INSECURE_URL' });
      expect({ url, code: codeOf(url, true) }).toEqual({ url, code: 'ok' });
    }
  });

  it('names the host only, never credentials or the path', () => {
    expect(() => checkServiceUrl('http://user:secret@svc.example:81/p?q=s3cr3t')).toThrow(
      /^plain http:\/\/ to svc\.example:81 is refused/,
    );
    try {
      checkServiceUrl('http://user:secret@svc.example/p?q=s3cr3t');
    } catch (err) {
      expect((err as Error).message).not.toMatch(/secret|s3cr3t|user/);
    }
  });

  it('refuses what is not an http(s) URL as a config error', () => {
    expect(codeOf('not a url')).toBe('ERR_CONFIG');
    expect(codeOf('ftp://clearance.example.com')).toBe('ERR_CONFIG');
  });
});

describe('isLoopbackHost', () => {
  it('knows 127.0.0.0/8, ::1 and localhost', () => {
    expect(
      ['127.0.0.1', '127.255.0.1', '[::1]', 'localhost', 'LOCALHOST'].map(isLoopbackHost),
    ).toEqual([true, true, true, true, true]);
    expect(['0.0.0.0', '1.127.0.0', 'example.com', '[::]'].map(isLoopbackHost)).toEqual([
      false,
      false,
      false,
      false,
    ]);
  });
});
