import { describe, expect, it } from 'vitest';
import { defaultServiceUrl } from '@clearance/client';
import { resolveGateSettings, type GateSettings } from './gate-settings.js';

function settings(config: Record<string, unknown>, env: Record<string, string> = {}): GateSettings {
  const result = resolveGateSettings(config, env);
  if (!result.ok) throw new Error(result.problems.join('\n'));
  return result.settings;
}

function problems(config: Record<string, unknown>, env: Record<string, string> = {}): string[] {
  const result = resolveGateSettings(config, env);
  if (result.ok) throw new Error('expected invalid settings');
  return result.problems;
}

const jwks = { keys: [{ kty: 'OKP', crv: 'Ed25519', x: 'abc', kid: 'k1' }] };

describe('gate settings', () => {
  it('has safe defaults: the service the CLI defaults to, fail closed, every stack', () => {
    expect(settings({})).toEqual({
      serviceUrl: defaultServiceUrl,
      serviceUrlDefaulted: true,
      tokenEnv: 'CLEARANCE_TOKEN',
      stacks: ['**'],
      failMode: 'closed',
      previewMode: 'mandatory',
      offline: false,
      allowInsecureHttp: false,
      timeoutMs: 5000,
    });
  });

  it('defaults to the shared defaultServiceUrl, as the CLI does, and to nothing offline', () => {
    expect(defaultServiceUrl).toBe('http://127.0.0.1:8080');
    expect(settings({}, { CLEARANCE_URL: '' }).serviceUrl).toBe(defaultServiceUrl);
    const named = settings({}, { CLEARANCE_URL: 'https://env.example' });
    expect(named).toMatchObject({ serviceUrl: 'https://env.example' });
    expect(named.serviceUrlDefaulted).toBeUndefined();
    const offline = settings({ offline: true, jwks });
    expect(offline.serviceUrl).toBeUndefined();
    expect(offline.serviceUrlDefaulted).toBeUndefined();
  });

  it('takes the policy config first and the environment as fallback', () => {
    const env = { CLEARANCE_URL: 'https://env.example', CLEARANCE_FAIL_MODE: 'open' };
    const s = settings({ serviceUrl: 'https://config.example' }, env);
    expect(s.serviceUrl).toBe('https://config.example');
    expect(s.failMode).toBe('open');
  });

  it('converts environment strings to the shapes settings take', () => {
    const s = settings(
      {},
      {
        CLEARANCE_STACKS: '*/*/prod, acme/**',
        CLEARANCE_OFFLINE: 'true',
        CLEARANCE_JWKS: JSON.stringify(jwks),
        CLEARANCE_MIN_APPROVERS: '2',
        CLEARANCE_TIMEOUT_MS: '750',
        CLEARANCE_TOKEN_ENV: 'CI_CLEARANCE_TOKEN',
        CLEARANCE_PREVIEW_MODE: 'advisory',
      },
    );
    expect(s).toMatchObject({
      stacks: ['*/*/prod', 'acme/**'],
      offline: true,
      minApprovers: 2,
      timeoutMs: 750,
      tokenEnv: 'CI_CLEARANCE_TOKEN',
      previewMode: 'advisory',
    });
    expect(s.jwks?.keys[0]?.kid).toBe('k1');
  });

  it('ignores empty environment variables', () => {
    expect(settings({}, { CLEARANCE_URL: '', CLEARANCE_FAIL_MODE: '' }).failMode).toBe('closed');
  });

  it('names the source of each invalid value', () => {
    expect(problems({ failMode: 'sometimes' })[0]).toMatch(/^policy config "failMode": /);
    expect(problems({}, { CLEARANCE_TIMEOUT_MS: 'soon' })[0]).toMatch(/^CLEARANCE_TIMEOUT_MS: /);
    expect(problems({}, { CLEARANCE_URL: 'ftp://x.example' })[0]).toMatch(
      /^CLEARANCE_URL: expected an http\(s\) URL/,
    );
    expect(problems({}, { CLEARANCE_OFFLINE: 'yes' })[0]).toMatch(/^CLEARANCE_OFFLINE: /);
  });

  it('refuses stack patterns that cannot match org/project/stack', () => {
    expect(problems({ stacks: ['prod'] })[0]).toMatch(/org\/project\/stack/);
    expect(problems({ stacks: [] })[0]).toMatch(/at least one pattern/);
  });

  it('requires a pinned jwks for offline verification', () => {
    expect(problems({ offline: true })[0]).toMatch(/offline verification needs a pinned jwks/);
    expect(problems({ offline: true, jwks: { keys: [] } })[0]).toMatch(/at least one key/);
  });

  it('reads pinned key thumbprints, from the environment as a comma-separated list', () => {
    const a = 'A'.repeat(43);
    const b = 'b_-'.repeat(14) + 'c';
    expect(settings({}, { CLEARANCE_KEY_THUMBPRINTS: ` ${a}, ${b},` }).keyThumbprints).toEqual([
      a,
      b,
    ]);
    expect(settings({ keyThumbprints: [a] }).keyThumbprints).toEqual([a]);
    expect(problems({ keyThumbprints: ['k1'] })[0]).toMatch(
      /^policy config "keyThumbprints": expected RFC 7638 SHA-256 key thumbprints/,
    );
    expect(problems({}, { CLEARANCE_KEY_THUMBPRINTS: ',' })[0]).toMatch(
      /^CLEARANCE_KEY_THUMBPRINTS: needs at least one thumbprint/,
    );
  });

  it('refuses plain http to a host other than loopback unless explicitly allowed', () => {
    expect(problems({}, { CLEARANCE_URL: 'http://clearance.example.com' })).toEqual([
      'CLEARANCE_URL: plain http:// to clearance.example.com is refused: use https://, or allow it explicitly (allowInsecureHttp, CLEARANCE_ALLOW_HTTP=true)',
    ]);
    expect(problems({ serviceUrl: 'http://10.1.2.3:8080' })[0]).toMatch(
      /^policy config "serviceUrl": plain http/,
    );
    expect(settings({ serviceUrl: 'http://127.0.0.1:8080' }).allowInsecureHttp).toBe(false);
    const allowed = { CLEARANCE_URL: 'http://clearance.example.com', CLEARANCE_ALLOW_HTTP: '1' };
    expect(settings({}, allowed)).toMatchObject({
      serviceUrl: 'http://clearance.example.com',
      allowInsecureHttp: true,
    });
    expect(settings({ allowInsecureHttp: true, serviceUrl: 'http://lab.test' }).serviceUrl).toBe(
      'http://lab.test',
    );
    expect(problems({}, { CLEARANCE_ALLOW_HTTP: 'sure' })[0]).toMatch(/^CLEARANCE_ALLOW_HTTP: /);
  });

  it('refuses a token variable that is not a variable name, and bad numbers', () => {
    expect(problems({ tokenEnv: 'NOT A NAME' })[0]).toMatch(/environment variable name/);
    expect(problems({ minApprovers: 0 })[0]).toMatch(/^policy config "minApprovers"/);
    expect(problems({ timeoutMs: 1.5 })[0]).toMatch(/^policy config "timeoutMs"/);
  });
});
