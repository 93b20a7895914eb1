/**
 * The environment variables Clearance reads, by what they hold. The pack, the CLI and
 * `@clearance/temporary` read them by these names; README.md documents each.
 */
export const envNames = {
  /** Base URL of the approval service. */
  url: 'CLEARANCE_URL',
  /** The API token (the pack's `tokenEnv` may name another variable). */
  token: 'CLEARANCE_TOKEN',
  /** The pack: the variable that holds the API token. */
  tokenEnv: 'CLEARANCE_TOKEN_ENV',
  /** The audience of the CI OIDC ID token the pack and the CLI ask for (default `clearance`). */
  oidcAudience: 'CLEARANCE_OIDC_AUDIENCE',
  /** GitLab CI: the `id_tokens` variable that holds the ID token (default CLEARANCE_ID_TOKEN). */
  gitlabIdTokenVariable: 'CLEARANCE_ID_TOKEN_VARIABLE',
  /** GitHub Actions (set by the runner): where a job asks for its OIDC ID token. */
  githubIdTokenUrl: 'ACTIONS_ID_TOKEN_REQUEST_URL',
  /** GitHub Actions (set by the runner): the bearer token of that request. */
  githubIdTokenToken: 'ACTIONS_ID_TOKEN_REQUEST_TOKEN',
  /** Approval tokens CI hands in, separated by commas. */
  approvalTokens: 'CLEARANCE_APPROVAL_TOKENS',
  /** The service's pinned JSON Web Key Set. */
  jwks: 'CLEARANCE_JWKS',
  /** Pinned key ids (RFC 7638 thumbprints), separated by commas. */
  keyThumbprints: 'CLEARANCE_KEY_THUMBPRINTS',
  /** `true` or `1`: allow plain `http://` to a host other than loopback. */
  allowHttp: 'CLEARANCE_ALLOW_HTTP',
  /** The pack: stack patterns the gate applies to, separated by commas. */
  stacks: 'CLEARANCE_STACKS',
  /** The pack: `closed` or `open` when the service is unreachable. */
  failMode: 'CLEARANCE_FAIL_MODE',
  /** The pack: `mandatory` or `advisory` for a missing approval at preview. */
  previewMode: 'CLEARANCE_PREVIEW_MODE',
  /** The pack: verify tokens against the pinned keys only. */
  offline: 'CLEARANCE_OFFLINE',
  /** The pack: approvers an approval must carry, on top of what the service requires. */
  minApprovers: 'CLEARANCE_MIN_APPROVERS',
  /** Bound on every call to the service, in milliseconds. */
  timeoutMs: 'CLEARANCE_TIMEOUT_MS',
  /** The pack: the reason its requests give (in CI, e.g. the pull request's title). */
  reason: 'CLEARANCE_REASON',
  /** The pack: a link its requests give (in CI, e.g. the pull request's URL). */
  contextUrl: 'CLEARANCE_CONTEXT_URL',
  /** `@clearance/temporary`: the temporary resources asked for (`*` or names). */
  request: 'CLEARANCE_REQUEST',
  /** `gate-preview`: the org of the stack it takes from the preview's URNs. */
  org: 'CLEARANCE_ORG',
  /** The id of the CI run the pack and `gate-preview` tag their requests with. */
  runId: 'CLEARANCE_RUN_ID',
  /** The CLI: the service's data directory. */
  dataDir: 'CLEARANCE_DATA_DIR',
  /** The CLI: the service config file. */
  config: 'CLEARANCE_CONFIG',
  /** The CLI: print the stack trace of an unexpected error. */
  debug: 'CLEARANCE_DEBUG',
  /** The CLI: the port `serve` listens on. */
  port: 'PORT',
} as const;

/** The name of a variable Clearance reads. */
export type EnvName = (typeof envNames)[keyof typeof envNames];
