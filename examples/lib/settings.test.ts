import { describe, expect, it } from 'vitest';
import { isRequested, settingsFromEnv } from './settings.js';

describe('settingsFromEnv', () => {
  it('reads every variable', () => {
    const settings = settingsFromEnv({
      CLEARANCE_URL: 'https://clearance.example.com',
      CLEARANCE_TOKEN: 'secret',
      CLEARANCE_APPROVAL_TOKENS: 'a.b.c, d.e.f',
      CLEARANCE_JWKS: '{"keys":[{"kty":"OKP","crv":"Ed25519","x":"abc"}]}',
      CLEARANCE_REQUEST: 'debug-ssh,breakglass-admin',
      CLEARANCE_TIMEOUT_MS: '2500',
    });
    expect(settings).toEqual({
      url: 'https://clearance.example.com',
      token: 'secret',
      approvalTokens: ['a.b.c', 'd.e.f'],
      jwks: { keys: [{ kty: 'OKP', crv: 'Ed25519', x: 'abc' }] },
      requested: ['debug-ssh', 'breakglass-admin'],
      timeoutMs: 2500,
    });
  });

  it('reads pinned key thumbprints and the explicit allowance of plain http', () => {
    const thumbprint = 'A'.repeat(43);
    expect(
      settingsFromEnv({
        CLEARANCE_URL: 'http://clearance.lab:8080',
        CLEARANCE_ALLOW_HTTP: 'true',
        CLEARANCE_KEY_THUMBPRINTS: `${thumbprint}, `,
      }),
    ).toMatchObject({
      url: 'http://clearance.lab:8080',
      allowInsecureHttp: true,
      keyThumbprints: [thumbprint],
    });
    expect(() => settingsFromEnv({ CLEARANCE_KEY_THUMBPRINTS: 'k1' })).toThrow(
      /^CLEARANCE_KEY_THUMBPRINTS: expected RFC 7638/,
    );
  });

  it('refuses plain http to a host other than loopback without CLEARANCE_ALLOW_HTTP', () => {
    expect(() => settingsFromEnv({ CLEARANCE_URL: 'http://clearance.lab:8080' })).toThrow(
      /^CLEARANCE_URL: plain http:\/\/ to clearance\.lab:8080 is refused/,
    );
    expect(settingsFromEnv({ CLEARANCE_URL: 'http://127.0.0.1:8080' }).url).toBe(
      'http://127.0.0.1:8080',
    );
  });

  it('defaults to nothing configured, nothing requested', () => {
    expect(settingsFromEnv({})).toEqual({ approvalTokens: [], requested: [], timeoutMs: 10_000 });
  });

  it('names the variable that is malformed', () => {
    expect(() => settingsFromEnv({ CLEARANCE_URL: 'ftp://x' })).toThrow(/^CLEARANCE_URL: /);
    expect(() => settingsFromEnv({ CLEARANCE_JWKS: '{' })).toThrow(/CLEARANCE_JWKS must hold/);
    expect(() => settingsFromEnv({ CLEARANCE_JWKS: '{"keys":[]}' })).toThrow(/^CLEARANCE_JWKS: /);
    expect(() => settingsFromEnv({ CLEARANCE_APPROVAL_TOKENS: 'not-a-token' })).toThrow(
      /^CLEARANCE_APPROVAL_TOKENS: /,
    );
    expect(() => settingsFromEnv({ CLEARANCE_TIMEOUT_MS: 'soon' })).toThrow(
      /^CLEARANCE_TIMEOUT_MS: /,
    );
    expect(() => settingsFromEnv({ CLEARANCE_REQUEST: 'debug ssh' })).toThrow(
      /^CLEARANCE_REQUEST: /,
    );
  });
});

describe('isRequested', () => {
  it('matches listed names, or every name for *', () => {
    const some = settingsFromEnv({ CLEARANCE_REQUEST: 'debug-ssh' });
    expect(isRequested(some, 'debug-ssh')).toBe(true);
    expect(isRequested(some, 'other')).toBe(false);
    expect(isRequested(settingsFromEnv({ CLEARANCE_REQUEST: '*' }), 'other')).toBe(true);
    expect(isRequested(settingsFromEnv({}), 'debug-ssh')).toBe(false);
  });
});
