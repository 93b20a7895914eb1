import { describe, expect, it } from 'vitest';
import type { ParsedOptions } from './command.js';
import { defaultServiceUrl } from '@clearance/client';
import { clientFor, defaultPort, defaultUrl, listenPort, resolveSettings } from './settings.js';

function flags(values: Record<string, string>): ParsedOptions {
  return {
    string: (n) => values[n],
    strings: (n) => (values[n] ? [values[n]] : []),
    flag: () => false,
  };
}

const env = {
  CLEARANCE_URL: 'http://env.example:9000',
  CLEARANCE_TOKEN: 'env-token',
  CLEARANCE_DATA_DIR: 'env-data',
  CLEARANCE_CONFIG: 'env.yaml',
  PORT: '9001',
};

describe('resolveSettings', () => {
  it('takes the environment when no flag is given', () => {
    const s = resolveSettings(flags({}), env, '/srv');
    expect(s).toEqual({
      url: 'http://env.example:9000',
      token: 'env-token',
      dataDir: '/srv/env-data',
      configPath: '/srv/env.yaml',
      port: '9001',
      host: undefined,
      allowInsecureHttp: false,
    });
  });

  it('lets flags override the environment', () => {
    const s = resolveSettings(
      flags({
        url: 'http://flag:1',
        token: 'flag-token',
        'data-dir': '/abs',
        config: 'c.yaml',
        port: '7',
      }),
      env,
      '/srv',
    );
    expect(s).toMatchObject({
      url: 'http://flag:1',
      token: 'flag-token',
      dataDir: '/abs',
      configPath: '/srv/c.yaml',
      port: '7',
    });
  });

  it('falls back to the defaults, ignoring empty variables', () => {
    const s = resolveSettings(flags({}), { CLEARANCE_URL: '', CLEARANCE_TOKEN: ' ' }, '/srv');
    expect(s).toMatchObject({
      url: defaultUrl,
      token: undefined,
      dataDir: '/srv/data',
      configPath: undefined,
    });
    expect(listenPort(s)).toBe(8080);
  });
});

describe('listenPort and clientFor', () => {
  it('refuses a port that is not a number in range', () => {
    const base = resolveSettings(flags({}), {}, '/');
    expect(listenPort({ ...base, port: '0' })).toBe(0);
    expect(() => listenPort({ ...base, port: 'http' })).toThrow(
      /whole number from 0 to 65535, got "http"/,
    );
    expect(() => listenPort({ ...base, port: '70000' })).toThrow(/65535/);
  });

  it('asks for a token before calling the service', () => {
    const base = resolveSettings(flags({}), {}, '/');
    expect(() => clientFor(base)).toThrow(/set CLEARANCE_TOKEN or pass --token/);
    expect(clientFor({ ...base, url: 'https://h:1/', token: 't' }).baseUrl).toBe('https://h:1');
  });

  it('refuses plain http to a host other than loopback unless CLEARANCE_ALLOW_HTTP is set', () => {
    const insecure = { CLEARANCE_URL: 'http://svc.example:8080', CLEARANCE_TOKEN: 't' };
    const refused = resolveSettings(flags({}), insecure, '/');
    expect(() => clientFor(refused)).toThrow(/plain http:\/\/ to svc\.example:8080 is refused/);
    const allowed = resolveSettings(flags({}), { ...insecure, CLEARANCE_ALLOW_HTTP: 'true' }, '/');
    expect(allowed.allowInsecureHttp).toBe(true);
    expect(clientFor(allowed).baseUrl).toBe('http://svc.example:8080');
    const local = resolveSettings(flags({}), { CLEARANCE_TOKEN: 't' }, '/');
    expect(clientFor(local).baseUrl).toBe(defaultUrl);
  });

  it('defaults to the service URL the policy pack defaults to, where `serve` listens', () => {
    expect(defaultUrl).toBe(defaultServiceUrl);
    expect(resolveSettings(flags({}), {}, '/').url).toBe(defaultServiceUrl);
    expect(new URL(defaultServiceUrl).port).toBe(String(defaultPort));
  });
});
