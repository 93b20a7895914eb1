import { z } from 'zod';

const loopbackHosts = new Set(['127.0.0.1', 'localhost', '[::1]']);
const envName = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'expected the name of an environment variable');
const claimName = z.string().min(1).max(200);
const clearanceGroup = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._@-]*$/, 'expected letters, digits, ".", "_", "@" or "-"');

/**
 * Approvers sign in to the console through the organisation's OpenID Connect provider
 * (authorization code with PKCE, `state` and `nonce`). Users then need not be listed in
 * `users`: the IdP's groups, mapped by `groupMap`, decide what they may do.
 */
export const oidcSchema = z
  .object({
    /** The issuer identifier; its `/.well-known/openid-configuration` is read at the first sign-in. */
    issuer: z
      .url({ protocol: /^https?$/ })
      .refine(
        (url) =>
          url.startsWith('https://') || loopbackHosts.has(new URL(url).host.replace(/:\d+$/, '')),
        'expected an https URL (plain http only on a loopback host, for tests)',
      ),
    clientId: z.string().min(1).max(400),
    /** The environment variable holding the client secret; left out, a public client (PKCE only). */
    clientSecretEnv: envName.optional(),
    scopes: z
      .array(z.string().regex(/^[\x21\x23-\x5b\x5d-\x7e]+$/, 'expected a scope token'))
      .default(['openid', 'profile', 'email'])
      .refine((scopes) => scopes.includes('openid'), 'expected the openid scope among the scopes'),
    /** The claim naming the user: their Clearance user id (no self-approval compares it). */
    userClaim: claimName.default('preferred_username'),
    /** The claim shown as the user's name (else the user id). */
    nameClaim: claimName.default('name'),
    /** The claim carrying the user's groups at the IdP (a dotted path reaches into an object). */
    groupsClaim: claimName.default('groups'),
    /** IdP group → Clearance groups; IdP groups not listed give nothing. */
    groupMap: z.record(z.string().min(1).max(400), z.array(clearanceGroup).min(1)).default({}),
    /** Local passwords (`users[].passwordHash`) for a trial and break-glass; false refuses them. */
    localPasswords: z.boolean().default(true),
    /** The sign-in button's text. */
    buttonLabel: z.string().min(1).max(100).default('Sign in with single sign-on'),
  })
  .strict();

export type OidcConfig = z.infer<typeof oidcSchema>;
