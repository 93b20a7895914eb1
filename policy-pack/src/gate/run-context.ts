import { randomUUID } from 'node:crypto';

/** The preview or update the pack runs in: one pack process serves one run. */
export interface RunContext {
  org: string;
  project: string;
  /** The stack's own name, as the fingerprint takes it. */
  stack: string;
  /** `org/project/stack`, as the service names stacks. */
  stackName: string;
  dryRun: boolean;
  /** Generated once per process. */
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

/** Builds the run context from the SDK, with a fresh run id; throws when no stack is known. */
export function runContextFrom(info: PulumiRunInfo, runId: string = randomUUID()): RunContext {
  const org = required(info.getOrganization);
  const project = required(info.getProject);
  const stack = required(info.getStack);
  return {
    org,
    project,
    stack,
    stackName: `${org}/${project}/${stack}`,
    dryRun: info.isDryRun(),
    runId: `run_${runId}`,
  };
}

/** The run context of this pack process, read from `@pulumi/pulumi` once, on first use. */
export async function loadRunContext(): Promise<RunContext> {
  const pulumi = await import('@pulumi/pulumi');
  return runContextFrom({
    getOrganization: pulumi.getOrganization,
    getProject: pulumi.getProject,
    getStack: pulumi.getStack,
    isDryRun: pulumi.runtime.isDryRun,
  });
}
