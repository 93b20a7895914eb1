import { z } from 'zod';

/**
 * Who asked when a CI pipeline opened a request with its own OIDC ID token: the
 * repository, workflow or pipeline, run, ref and commit the token names, and the person who
 * triggered the run (`actor` in GitHub Actions, `user_login` in GitLab), with the Clearance user
 * they map to, who then counts as the requester for the no-self-approval rule.
 */
export const pipelineIdentitySchema = z.object({
  /** The name of the trusted issuer in the service config (`ciIdentity.issuers[].name`). */
  issuer: z.string(),
  repository: z.string(),
  workflow: z.string(),
  runUrl: z.string(),
  ref: z.string(),
  commit: z.string(),
  /** The CI login of the person who triggered the run. */
  triggeredBy: z.string(),
  /** The Clearance user that login maps to (by user id, or the issuer's `logins` map). */
  user: z.string().exactOptional(),
});
export type PipelineIdentity = z.infer<typeof pipelineIdentitySchema>;
