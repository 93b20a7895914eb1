import { z } from 'zod';
import { refineUniqueNames } from './unique-names.js';

const name = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._@-]*$/, 'expected letters, digits, ".", "_", "@" or "-"');

/** https, or http to this machine only (a local issuer in tests). */
const issuerUrl = z.url({ protocol: /^https?$/ }).refine((value) => {
  const url = new URL(value);
  return url.protocol === 'https:' || ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
}, 'expected an https URL (http only to localhost)');

/** A claim's expected value: a string (globs as for stacks: `refs/heads/*`), or one of several. */
const expected = z.union([z.string().min(1).max(400), z.array(z.string().min(1).max(400)).min(1)]);

/**
 * A CI system whose OIDC ID tokens the API accepts as bearer tokens: GitHub Actions
 * (`https://token.actions.githubusercontent.com`) or GitLab CI (`https://gitlab.com`, or a
 * self-managed instance). A token must come from `issuer`, be signed by a key of its JWKS
 * (`jwksUri`; by default the issuer's well-known one), be meant for `audience`, be unexpired,
 * and have every claim of `conditions`. The pipeline then acts with `groups`.
 */
export const ciIssuerSchema = z
  .object({
    name,
    kind: z.enum(['github', 'gitlab']),
    issuer: issuerUrl,
    audience: z.string().min(1).max(400),
    jwksUri: issuerUrl.optional(),
    /** e.g. `{repository: acme/infra, ref: refs/heads/main}` (GitLab: `project_path`). */
    conditions: z
      .record(z.string().min(1).max(100), expected)
      .refine(
        (c) => Object.keys(c).length > 0,
        'expected at least one condition (such as the repository): any pipeline of the issuer could ask otherwise',
      ),
    /** The groups the pipeline acts with (a rule's `requesterGroups`). */
    groups: z.array(name).min(1),
    /** CI logins of the people who trigger runs, mapped to Clearance user ids. */
    logins: z.record(z.string().min(1).max(200), name).default({}),
  })
  .strict();

export const ciIdentitySchema = z
  .object({ issuers: z.array(ciIssuerSchema).min(1) })
  .strict()
  .superRefine((ci, ctx) => refineUniqueNames(ci.issuers, 'issuers', ctx));

export type CiIssuerConfig = z.infer<typeof ciIssuerSchema>;
export type CiIdentityConfig = z.infer<typeof ciIdentitySchema>;

/** Where an issuer's signing keys are, unless the config says. */
export function defaultJwksUri(issuer: Pick<CiIssuerConfig, 'kind' | 'issuer'>): string {
  const base = issuer.issuer.replace(/\/+$/, '');
  return issuer.kind === 'github' ? `${base}/.well-known/jwks` : `${base}/oauth/discovery/keys`;
}
