import { performance } from 'node:perf_hooks';
import { startPack, type PackHandle, type StartPackOptions } from './start-pack.js';
import type { AnalyzerInfo, Diagnostic, EngineResource, PolicyConfig } from './types.js';

/** One `pulumi preview` or `pulumi up` of a stack, as the engine drives the pack. */
export interface RunEngineOptions extends StartPackOptions {
  resources: EngineResource[];
  /** As `--policy-pack-config`. `Configure` is sent either way, with the schema defaults. */
  policyConfig?: PolicyConfig | undefined;
  /**
   * Analyze the stack resource and the default provider of each package first, as the engine
   * does (default true).
   */
  engineResources?: boolean;
  /** `pulumi up --skip-preview`: no preview pass before the update. */
  skipPreview?: boolean;
}

export interface EngineRun {
  /** Diagnostics of the pass that decided the run: per resource in order, then `AnalyzeStack`'s. */
  diagnostics: Diagnostic[];
  /** The pass the diagnostics come from: a failed preview of `up` never starts the update. */
  pass: 'preview' | 'update';
  /** Resources analyzed in that pass (an update stops at the first mandatory violation). */
  analyzed: number;
  /** Whether that pass reached `AnalyzeStack`. */
  analyzedStack: boolean;
  info: AnalyzerInfo;
  coldStartMs: number;
  /** Milliseconds spent on the `Remediate` and `Analyze` calls of that pass. */
  analyzeMs: number;
}

const isMandatory = (d: Diagnostic) => d.enforcementLevel === 'mandatory';

/** The stack resource and one default provider per package of the program's resources. */
export function withEngineResources(
  stack: StartPackOptions['stack'],
  resources: EngineResource[],
): EngineResource[] {
  const packages = [
    ...new Set(
      resources.map((r) => r.type.split(':')[0] ?? '').filter((p) => p !== '' && p !== 'pulumi'),
    ),
  ];
  return [
    { type: 'pulumi:pulumi:Stack', name: `${stack.project}-${stack.stack}` },
    ...packages.map((p) => ({ type: `pulumi:providers:${p}`, name: 'default' })),
    ...resources,
  ];
}

/**
 * One pass in its own pack process, with the engine's calls in order: `GetPluginInfo`,
 * `ConfigureStack`, `GetAnalyzerInfo`, `Configure`, then `Remediate` and `Analyze` for each
 * resource, one call at a time, then `AnalyzeStack`. An update stops at the first mandatory
 * violation and never calls `AnalyzeStack`; a preview goes on. The pack is stopped afterwards.
 */
async function runPass(
  options: RunEngineOptions,
  dryRun: boolean,
  resources: EngineResource[],
): Promise<Omit<EngineRun, 'pass'>> {
  const pack: PackHandle = await startPack({ ...options, dryRun });
  try {
    await pack.getPluginInfo();
    await pack.configureStack();
    const info = await pack.getAnalyzerInfo();
    await pack.configure(options.policyConfig ?? {});
    const diagnostics: Diagnostic[] = [];
    let analyzed = 0;
    const startedAt = performance.now();
    for (const resource of resources) {
      await pack.remediate(resource);
      const found = await pack.analyze(resource);
      analyzed++;
      diagnostics.push(...found);
      if (!dryRun && found.some(isMandatory)) break;
    }
    const analyzeMs = performance.now() - startedAt;
    // A preview goes on to AnalyzeStack after mandatory violations; an update stopped before.
    const stopped = !dryRun && diagnostics.some(isMandatory);
    if (!stopped) diagnostics.push(...(await pack.analyzeStack(resources)));
    return {
      diagnostics,
      analyzed,
      analyzedStack: !stopped,
      info,
      coldStartMs: pack.coldStartMs,
      analyzeMs,
    };
  } finally {
    await pack.close();
  }
}

/**
 * A preview, or an update as `pulumi up` runs it: first a preview in its own pack process (the
 * update never starts when it fails), then the update in another.
 */
export async function runEngine(options: RunEngineOptions): Promise<EngineRun> {
  const resources =
    options.engineResources === false
      ? options.resources
      : withEngineResources(options.stack, options.resources);
  if (options.dryRun) return { pass: 'preview', ...(await runPass(options, true, resources)) };
  if (!options.skipPreview) {
    const preview = await runPass(options, true, resources);
    if (preview.diagnostics.some(isMandatory)) return { pass: 'preview', ...preview };
  }
  return { pass: 'update', ...(await runPass(options, false, resources)) };
}
