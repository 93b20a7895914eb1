import { describe, expect, it } from 'vitest';
import { oidcSchema } from '../config/oidc-schema.js';
import { actorFromClaims, claimValue, lacksUserClaims } from './oidc-claims.js';

const settings = oidcSchema.parse({
  issuer: 'https://login.example.com',
  clientId: 'clearance',
  groupMap: {
    'platform-leads': ['managers'],
    '/acme/sre': ['managers', 'auditors'],
    deployers: ['deployers'],
  },
});

describe('actorFromClaims', () => {
  it('names the user by the user claim and maps IdP groups to Clearance groups, each once', () => {
    const verdict = actorFromClaims(
      {
        sub: 'a1b2',
        preferred_username: 'dana',
        name: 'Dana Scully',
        groups: ['/acme/sre', 'platform-leads', 'unrelated'],
      },
      settings,
    );
    expect(verdict).toEqual({
      ok: true,
      actor: { id: 'dana', displayName: 'Dana Scully', groups: ['auditors', 'managers'] },
    });
  });

  it('gives a user whose IdP groups the map does not name no Clearance group', () => {
    const verdict = actorFromClaims({ preferred_username: 'eve', groups: ['sales'] }, settings);
    expect(verdict).toEqual({ ok: true, actor: { id: 'eve', displayName: 'eve', groups: [] } });
  });

  it('takes one group as a string, and ignores a groups claim of another shape', () => {
    expect(
      actorFromClaims({ preferred_username: 'f', groups: 'deployers' }, settings),
    ).toMatchObject({ actor: { groups: ['deployers'] } });
    expect(actorFromClaims({ preferred_username: 'f', groups: { a: 1 } }, settings)).toMatchObject({
      actor: { groups: [] },
    });
  });

  it('refuses claims without the user claim, or with one that is no Clearance user name', () => {
    expect(actorFromClaims({ sub: 'x', groups: ['deployers'] }, settings)).toEqual({
      ok: false,
      reason: 'the identity provider sent no "preferred_username" claim',
    });
    expect(actorFromClaims({ preferred_username: 'Dana Scully' }, settings)).toMatchObject({
      ok: false,
      reason: expect.stringContaining('not a user name Clearance accepts'),
    });
  });

  it('reads configured claims by exact name first, then by dotted path', () => {
    const custom = { ...settings, userClaim: 'email', groupsClaim: 'realm_access.roles' };
    expect(
      actorFromClaims(
        { email: 'gil@acme.example', realm_access: { roles: ['platform-leads'] } },
        custom,
      ),
    ).toEqual({
      ok: true,
      actor: { id: 'gil@acme.example', displayName: 'gil@acme.example', groups: ['managers'] },
    });
    expect(
      claimValue({ 'https://acme.example/groups': ['x'] }, 'https://acme.example/groups'),
    ).toEqual(['x']);
    expect(claimValue({ a: 'text' }, 'a.length')).toBeUndefined();
  });

  it('does not take inherited properties as group names or claims', () => {
    expect(
      actorFromClaims({ preferred_username: 'h', groups: ['constructor'] }, settings),
    ).toMatchObject({
      actor: { groups: [] },
    });
    expect(claimValue({}, 'toString')).toBeUndefined();
  });
});

describe('lacksUserClaims', () => {
  it('says whether the user or groups claim is missing', () => {
    expect(lacksUserClaims({ preferred_username: 'a', groups: [] }, settings)).toBe(false);
    expect(lacksUserClaims({ preferred_username: 'a' }, settings)).toBe(true);
    expect(lacksUserClaims({ groups: [] }, settings)).toBe(true);
  });
});

describe('the oidc config section', () => {
  it('takes defaults for the claims, scopes and local passwords', () => {
    expect(settings).toMatchObject({
      scopes: ['openid', 'profile', 'email'],
      userClaim: 'preferred_username',
      groupsClaim: 'groups',
      localPasswords: true,
    });
  });

  it('refuses plain http off loopback, scopes without openid and unknown keys', () => {
    const base = { issuer: 'https://login.example.com', clientId: 'c' };
    expect(oidcSchema.safeParse({ ...base, issuer: 'http://login.example.com' }).success).toBe(
      false,
    );
    expect(oidcSchema.safeParse({ ...base, issuer: 'http://127.0.0.1:9000' }).success).toBe(true);
    expect(oidcSchema.safeParse({ ...base, scopes: ['profile'] }).success).toBe(false);
    expect(oidcSchema.safeParse({ ...base, clientSecret: 'x' }).success).toBe(false);
    expect(oidcSchema.safeParse({ ...base, clientSecretEnv: 'not a name' }).success).toBe(false);
    expect(oidcSchema.safeParse({ ...base, groupMap: { a: ['no spaces'] } }).success).toBe(false);
  });
});
