import type { StackRef } from './types.js';

/** What the engine puts in a pack's environment for a known stack. */
export interface PackEnvOptions {
  stack: StackRef;
  dryRun: boolean;
  /** Stack config (`<project>:<key>` → value), passed as `PULUMI_CONFIG`. */
  config?: Record<string, string>;
  /** Extra variables, as from the CLI's environment (for example CI variables). */
  env?: Record<string, string> | undefined;
  /** The environment the CLI itself runs in. */
  base?: NodeJS.ProcessEnv;
}

/**
 * Builds the environment of a pack process as the Node.js language host's policy proxy does: the
 * CLI's, the given extras, then `PULUMI_NODEJS_*` from `ConfigureStack`, `PULUMI_CONFIG` and
 * `PULUMI_NODEJS_TYPESCRIPT` (the runtime's `typescript` option, true by default).
 */
export function packEnvironment(options: PackEnvOptions): Record<string, string> {
  const { stack, dryRun } = options;
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(options.base ?? {})) {
    if (value !== undefined) env[key] = value;
  }
  Object.assign(env, options.env);
  const dry = dryRun ? 'true' : 'false';
  Object.assign(env, {
    PULUMI_CONFIG: JSON.stringify(options.config ?? {}),
    PULUMI_NODEJS_TYPESCRIPT: 'true',
    PULUMI_NODEJS_ORGANIZATION: stack.org,
    PULUMI_NODEJS_PROJECT: stack.project,
    PULUMI_NODEJS_STACK: stack.stack,
    PULUMI_NODEJS_DRY_RUN: dry,
  });
  return env;
}
