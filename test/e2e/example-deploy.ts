import { vi } from 'vitest';
import type { Diagnostic } from '../engine/index.js';
import {
  collectResources,
  type CollectOptions,
  type CollectedResource,
} from '../../examples/lib/test/collect-resources.js';
import { apiToken, type E2eService } from './e2e-service.js';
import { blocking, runPack } from './example-run.js';

/** An example program (`examples/<project>/index.ts`) and the stack the tests deploy it to. */
export interface ExampleStack {
  org: string;
  project: string;
  stack: string;
  /** Stack config, keys as `namespace:key`. */
  config: Record<string, string>;
  invokes?: CollectOptions['invokes'];
  /** The temporary resource the program declares through `whileApproved`, if any. */
  temporary?: string;
}

export interface ExampleRun {
  /** Preview (true) or update (false). */
  dryRun: boolean;
  /** Ask for the temporary resource without an approval (`CLEARANCE_REQUEST`). */
  requested?: boolean;
  /** Config overriding the example's, keys as `namespace:key`. */
  config?: Record<string, string>;
}

/**
 * Runs the example under Pulumi's mocks as carol, its temporary helper asking the service at
 * the service's time, as `pulumi` would; returns what it registered.
 */
export async function exampleResources(
  svc: E2eService,
  example: ExampleStack,
  run: ExampleRun,
): Promise<CollectedResource[]> {
  vi.resetModules();
  if (example.temporary !== undefined) {
    const temporary = await import('@clearance/temporary');
    temporary.configureTemporary({
      settings: {
        url: svc.server.url,
        token: apiToken('carol'),
        approvalTokens: [],
        requested: run.requested ? [example.temporary] : [],
        timeoutMs: 5000,
      },
      clock: svc.clock,
    });
  }
  const program = new URL(`../../examples/${example.project}/index.ts`, import.meta.url);
  const { resources } = await collectResources(() => import(program.href), {
    organization: example.org,
    project: example.project,
    stack: example.stack,
    preview: run.dryRun,
    config: { ...example.config, ...run.config },
    invokes: example.invokes,
  });
  return resources;
}

/**
 * Deploys the example: its resources through the engine harness to the built policy pack,
 * against the end-to-end service. Returns the resources and the diagnostics that block the run.
 */
export async function deployExample(
  svc: E2eService,
  example: ExampleStack,
  run: ExampleRun,
): Promise<{ resources: CollectedResource[]; blocked: Diagnostic[] }> {
  const resources = await exampleResources(svc, example, run);
  const diagnostics = await runPack({
    stack: { org: example.org, project: example.project, stack: example.stack },
    resources,
    dryRun: run.dryRun,
    serviceUrl: svc.server.url,
    apiToken: apiToken('carol'),
    now: svc.clock.now(),
  });
  return { resources, blocked: blocking(diagnostics) };
}
