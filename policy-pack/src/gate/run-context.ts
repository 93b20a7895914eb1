import { randomUUID } from 'node:crypto';
import { runIdFromEnv } from '@clearance/client';

/** The preview or update the pack runs in: one pack process serves one run. */
export interface RunContext {
  org: string;
  project: string;
  /** The stack's own name, as the fingerprint takes it. */
  stack: string;
  /** `org/project/stack`, as the service names stacks. */
  stackName: string;
  dryRun: boolean;
  /** The CI run's (`runIdFromEnv`), else generated once per process. */
  runId: string;
}

/** What the Pulumi SDK tells a pack about its run. */
export interface PulumiRunInfo {
  getOrganization(): string;
  getProject(): string;
  getStack(): string;
  isDryRun(): boolean;
}

/** The engine told the pack no stack: `pulumi policy analyze` sends no `ConfigureStack`. */
export const noStackMessage =
  'no stack is known to the pack (`pulumi policy analyze` names none), so no approval can be ' +
  'checked; run `pulumi preview` or `pulumi up` with the pack';

function required(read: () => string): string {
  let value: string;
  try {
    value = read();
  } catch {
    throw new Error(noStackMessage);
  }
  if (!value) throw new Error(noStackMessage);
  return value;
}

/**
 * The id this pack process tags its requests with: the CI run's, so that `clearance wait --run`
 * in the same pipeline finds them, else a fresh one.
 */
export function packRunId(
  env: Readonly<Record<string, string | undefined>>,
  fresh: () => string = randomUUID,
): string {
  return runIdFromEnv(env) ?? `run_${fresh()}`;
}

/** Builds the run context from the SDK, with a fresh run id; throws when no stack is known. */
export function runContextFrom(
  info: PulumiRunInfo,
  runId: string = `run_${randomUUID()}`,
): RunContext {
  const org = required(info.getOrganization);
  const project = required(info.getProject);
  const stack = required(info.getStack);
  return {
    org,
    project,
    stack,
    stackName: `${org}/${project}/${stack}`,
    dryRun: info.isDryRun(),
    runId,
  };
}

/** The run context of this pack process, read from `@pulumi/pulumi` once, on first use. */
export async function loadRunContext(): Promise<RunContext> {
  const pulumi = await import('@pulumi/pulumi');
  return runContextFrom(
    {
      getOrganization: pulumi.getOrganization,
      getProject: pulumi.getProject,
      getStack: pulumi.getStack,
      isDryRun: pulumi.runtime.isDryRun,
    },
    packRunId(process.env),
  );
}
