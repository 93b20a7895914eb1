import type { PolicyConfigSchema } from '@pulumi/policy';
import { defaultServiceUrl } from '@clearance/client';

/**
 * The gate's settings as every sensitive-state policy declares them in its config schema. No
 * defaults here: the engine would fill them in and hide the environment fallback.
 */
export const gateSettingsProperties: PolicyConfigSchema['properties'] = {
  serviceUrl: {
    type: 'string',
    description: `Base URL of the approval service (fallback: CLEARANCE_URL, then ${defaultServiceUrl}).`,
  },
  tokenEnv: {
    type: 'string',
    description: 'Environment variable holding the API token (default CLEARANCE_TOKEN).',
  },
  stacks: {
    type: 'array',
    items: { type: 'string' },
    description: 'Patterns on org/project/stack the gate applies to (default: every stack).',
  },
  failMode: {
    type: 'string',
    enum: ['closed', 'open'],
    description: 'When the service cannot be reached: closed blocks (default), open warns.',
  },
  previewMode: {
    type: 'string',
    enum: ['mandatory', 'advisory'],
    description: 'How preview reports a missing approval (default mandatory).',
  },
  offline: {
    type: 'boolean',
    description:
      'Verify approval tokens with the pinned jwks only; revocation is then not checked.',
  },
  jwks: {
    type: 'object',
    description:
      'Pinned JSON Web Key Set of the service: when given, only these keys (and keyThumbprints) verify tokens, online as offline.',
  },
  keyThumbprints: {
    type: 'array',
    items: { type: 'string' },
    description:
      "Pinned RFC 7638 SHA-256 thumbprints (the service's key ids): keys the service serves count only if pinned here or in jwks.",
  },
  allowInsecureHttp: {
    type: 'boolean',
    description:
      'Allow a plain http:// serviceUrl to a host other than loopback (refused otherwise).',
  },
  minApprovers: {
    type: 'integer',
    minimum: 1,
    description: 'Approvers an approval must carry, on top of what the service requires.',
  },
  timeoutMs: {
    type: 'integer',
    minimum: 1,
    description: 'Bound on every call to the service, in milliseconds (default 5000).',
  },
};

/** Names of the gate's settings: the config keys a rule never sees. */
export const gateSettingKeys: ReadonlySet<string> = new Set(Object.keys(gateSettingsProperties));
