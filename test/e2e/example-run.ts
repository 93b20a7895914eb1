import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runEngine, type Diagnostic, type EngineResource, type StackRef } from '../engine/index.js';
import type { CollectedResource } from '../../examples/lib/test/collect-resources.js';

/** The built policy pack, as `pulumi preview --policy-pack policy-pack` loads it. */
export const packDir = fileURLToPath(new URL('../../policy-pack', import.meta.url));
const shiftedClock = fileURLToPath(new URL('./fixtures/shifted-clock.mjs', import.meta.url));

/** What the engine analyzes of a registered resource: its inputs, URN, options, dependencies. */
export function engineResource(r: CollectedResource): EngineResource {
  return {
    type: r.type,
    name: r.name,
    urn: r.urn,
    properties: r.inputs,
    options: { protect: r.protect, ...(r.parent ? { parent: r.parent } : {}) },
    dependencies: r.dependencies,
    ...(r.parent ? { parent: r.parent } : {}),
  };
}

export interface PackRunOptions {
  stack: StackRef;
  resources: CollectedResource[];
  /** Preview (true) or update (false). */
  dryRun: boolean;
  serviceUrl: string;
  apiToken: string;
  /** The pack lives at this moment (the service's manual clock). */
  now: Date;
  env?: Record<string, string>;
}

/** Runs the built pack over the resources through the engine harness; returns its diagnostics. */
export async function runPack(options: PackRunOptions): Promise<Diagnostic[]> {
  if (!existsSync(join(packDir, 'dist', 'index.js'))) {
    throw new Error('the policy pack is not built: run `npm run build -w policy-pack` first');
  }
  const run = await runEngine({
    packDir,
    stack: options.stack,
    dryRun: options.dryRun,
    resources: options.resources.map(engineResource),
    env: {
      CLEARANCE_URL: options.serviceUrl,
      CLEARANCE_TOKEN: options.apiToken,
      CLEARANCE_TEST_CLOCK_OFFSET_MS: String(options.now.getTime() - Date.now()),
      NODE_OPTIONS: `--import=${shiftedClock}`,
      ...options.env,
    },
  });
  return run.diagnostics;
}

/** Mandatory diagnostics: what fails a preview or an update. */
export function blocking(diagnostics: Diagnostic[]): Diagnostic[] {
  return diagnostics.filter((d) => d.enforcementLevel === 'mandatory');
}

/** The request ids in the console links of the diagnostics. */
export function requestLinks(diagnostics: { message: string }[], consoleUrl: string): string[] {
  const pattern = new RegExp(
    `${consoleUrl.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/requests/([\\w-]+)`,
    'g',
  );
  return diagnostics.flatMap((d) => [...d.message.matchAll(pattern)].map((m) => m[1] as string));
}
