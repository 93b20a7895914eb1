import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { resourceName } from '@clearance/client';
import { parse } from 'yaml';
import { runEngine, type Diagnostic } from '../../test/engine/index.js';
import { collectResources } from '../lib/test/collect-resources.js';
import { engineResource, packDir } from '../../test/e2e/example-run.js';
import { demoInvokes } from './demo-invokes.js';

export const examples = ['aws-temporary-ssh', 'aws-breakglass-admin', 'aws-prod-database'] as const;
const examplesDir = new URL('..', import.meta.url);

export interface HarnessOptions {
  example: (typeof examples)[number];
  /** `preview` (a dry run) or `up` (an update), as the policy pack is told. */
  mode: 'preview' | 'up';
  org: string;
  stack: string;
  /** Config overrides, `key` (in the project's namespace) or `namespace:key`. */
  config: Record<string, string>;
  /** Where the pack's settings come from: CLEARANCE_URL, CLEARANCE_TOKEN... */
  env: Record<string, string>;
  out: (line: string) => void;
}

export class HarnessUsageError extends Error {}

export const harnessUsage = `Usage: example-run <preview|up> <example> [--stack NAME] [--org NAME] [--config KEY=VALUE]...
Runs an example program under Pulumi's mocks (no Pulumi CLI, no AWS account) and hands its
resources to the built Clearance policy pack exactly as \`pulumi ${'<preview|up>'} --policy-pack\`
would. Examples: ${examples.join(', ')}. The stack config comes from Pulumi.<stack>.yaml
(default stack: dev). Set CLEARANCE_URL and CLEARANCE_TOKEN for the service, and
CLEARANCE_REQUEST=<name> to ask for a temporary resource.`;

/** Parses `<preview|up> <example> [--stack] [--org] [--config k=v]...`. */
export function parseHarnessArgs(argv: string[]): Omit<HarnessOptions, 'env' | 'out'> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        stack: { type: 'string', default: 'dev' },
        org: { type: 'string', default: 'organization' },
        config: { type: 'string', multiple: true, default: [] },
      },
    });
  } catch (err) {
    throw new HarnessUsageError((err as Error).message);
  }
  const [mode, example, ...rest] = parsed.positionals;
  if (mode !== 'preview' && mode !== 'up')
    throw new HarnessUsageError('the first argument must be preview or up');
  const known = examples.find((e) => e === example);
  if (!known)
    throw new HarnessUsageError(
      `unknown example "${example ?? ''}"; one of ${examples.join(', ')}`,
    );
  if (rest.length > 0) throw new HarnessUsageError(`unexpected argument "${rest[0]}"`);
  const config: Record<string, string> = {};
  for (const pair of parsed.values.config) {
    const at = pair.indexOf('=');
    if (at <= 0) throw new HarnessUsageError(`--config takes KEY=VALUE, got "${pair}"`);
    const key = pair.slice(0, at);
    config[key.includes(':') ? key : `${known}:${key}`] = pair.slice(at + 1);
  }
  return { mode, example: known, org: parsed.values.org, stack: parsed.values.stack, config };
}

/** The stack config of an example: `Pulumi.<stack>.yaml`, values as the CLI passes them (strings). */
export function stackConfig(example: string, stack: string): Record<string, string> {
  const file = join(new URL(example, `${examplesDir.href}/`).pathname, `Pulumi.${stack}.yaml`);
  if (!existsSync(file)) return {};
  const doc = (parse(readFileSync(file, 'utf8')) ?? {}) as { config?: Record<string, unknown> };
  return Object.fromEntries(
    Object.entries(doc.config ?? {}).map(([k, v]) => [
      k,
      typeof v === 'string' ? v : JSON.stringify(v),
    ]),
  );
}

/** The stacks an example ships a config for: its `Pulumi.<stack>.yaml` files. */
export function exampleStacks(example: string): string[] {
  const dir = new URL(`${example}/`, `${examplesDir.href}/`);
  return readdirSync(dir)
    .map((name) => /^Pulumi\.(.+)\.yaml$/.exec(name)?.[1])
    .filter((name): name is string => name !== undefined)
    .sort();
}

/** Pulumi's "missing required configuration" as a usage error that says what to pass. */
function missingConfig(
  err: unknown,
  example: string,
  stack: string,
): HarnessUsageError | undefined {
  const key = (err as { key?: unknown } | null)?.key;
  const missing = err instanceof Error && err.message.startsWith('Missing required configuration');
  if (!missing || typeof key !== 'string') {
    return undefined;
  }
  const setting = key.startsWith(`${example}:`) ? key.slice(example.length + 1) : key;
  const stacks = exampleStacks(example);
  const has = existsSync(new URL(`${example}/Pulumi.${stack}.yaml`, `${examplesDir.href}/`));
  const where = has
    ? `Pulumi.${stack}.yaml of ${example} does not set it`
    : `${example} has no Pulumi.${stack}.yaml (its stacks: ${stacks.join(', ') || 'none'})`;
  return new HarnessUsageError(
    `missing configuration ${key} for stack ${stack}: ${where}; pass --config ${setting}=VALUE${has || stacks.length === 0 ? '' : ` or --stack ${stacks[0]}`}`,
  );
}

function describe(d: Diagnostic): string {
  const name = resourceName(d.urn);
  const message = d.message.split('\n').join('\n      ');
  return `  ${d.enforcementLevel.padEnd(9)} ${d.policyName} (${name})\n      ${message}`;
}

/** Runs one example through the policy pack; resolves to the exit code (1 when a mandatory policy fails). */
export async function runExample(options: HarnessOptions): Promise<number> {
  if (!existsSync(join(packDir, 'dist', 'index.js'))) {
    throw new HarnessUsageError('the policy pack is not built: run `npm run build` first');
  }
  const dryRun = options.mode === 'preview';
  const project = options.example;
  const program = new URL(`${project}/index.ts`, `${examplesDir.href}/`);
  // The temporary helper reads the same settings as the pack: CLEARANCE_URL, CLEARANCE_REQUEST...
  const temporary = await import('@clearance/temporary');
  temporary.configureTemporary({ settings: temporary.settingsFromEnv(options.env) });
  const { resources } = await collectResources(() => import(pathToFileURL(program.pathname).href), {
    organization: options.org,
    project,
    stack: options.stack,
    preview: dryRun,
    config: { ...stackConfig(project, options.stack), ...options.config },
    invokes: demoInvokes,
  }).catch((err: unknown) => {
    throw missingConfig(err, project, options.stack) ?? err;
  });
  const stackName = `${options.org}/${project}/${options.stack}`;
  options.out(
    `${dryRun ? 'Previewing' : 'Updating'} ${stackName} under Pulumi's mocks, with the Clearance policy pack:`,
  );
  for (const r of resources) options.out(`  ${r.type} ${r.name}`);
  const run = await runEngine({
    packDir,
    stack: { org: options.org, project, stack: options.stack },
    dryRun,
    resources: resources.map(engineResource),
    env: options.env,
  });
  const shown = run.diagnostics.filter((d) => d.enforcementLevel !== 'disabled');
  if (shown.length > 0) {
    options.out('Policy violations:');
    for (const d of shown) options.out(describe(d));
  }
  const failed = shown.some((d) => d.enforcementLevel === 'mandatory');
  options.out(
    failed ? `The ${options.mode} failed: approvals are missing.` : `The ${options.mode} passed.`,
  );
  return failed ? 1 : 0;
}
