import { describe, expect, it } from 'vitest';
import { ciIdentitySchema, defaultJwksUri } from './ci-identity-schema.js';

const github = {
  name: 'github',
  kind: 'github',
  issuer: 'https://token.actions.githubusercontent.com',
  audience: 'https://clearance.example.com',
  conditions: { repository: 'acme/infra', ref: 'refs/heads/main' },
  groups: ['deployers'],
};

const messages = (value: unknown): string[] => {
  const parsed = ciIdentitySchema.safeParse(value);
  return parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

describe('ciIdentity config', () => {
  it('takes a GitHub issuer, its JWKS at the well-known path by default', () => {
    const parsed = ciIdentitySchema.parse({ issuers: [github] });
    expect(parsed.issuers[0]?.logins).toEqual({});
    expect(defaultJwksUri(github as { kind: 'github'; issuer: string })).toBe(
      'https://token.actions.githubusercontent.com/.well-known/jwks',
    );
    expect(defaultJwksUri({ kind: 'gitlab', issuer: 'https://gitlab.com/' })).toBe(
      'https://gitlab.com/oauth/discovery/keys',
    );
  });

  it('refuses an issuer without conditions, over plain http, or named twice', () => {
    expect(messages({ issuers: [{ ...github, conditions: {} }] })).toEqual([
      'issuers.0.conditions: expected at least one condition (such as the repository): any pipeline of the issuer could ask otherwise',
    ]);
    expect(messages({ issuers: [{ ...github, issuer: 'http://ci.example.com' }] })).toEqual([
      'issuers.0.issuer: expected an https URL (http only to localhost)',
    ]);
    expect(messages({ issuers: [github, github] })).toEqual([
      'issuers.1.name: expected a unique name; "github" is used twice',
    ]);
  });
});
