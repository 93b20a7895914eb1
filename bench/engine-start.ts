import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { EngineResource, StackRef } from '../test/engine/index.js';

const root = fileURLToPath(new URL('..', import.meta.url));

/**
 * How the engine begins a run once the packs are configured: it analyzes the stack resource,
 * then waits while the program loads its modules and the program's providers start, then
 * analyzes the provider resource before the program's first resource of that provider.
 */
export interface EngineStart {
  stack: EngineResource;
  provider: EngineResource;
  /** What the engine waits for between the two; resolves when it is over. */
  programLoad: () => Promise<void>;
}

/**
 * The start of an AWS program's run: `pulumi:pulumi:Stack`, then a Node process that imports
 * `@pulumi/pulumi` and `@pulumi/aws` as every such program does, then the default AWS provider.
 * Under the real CLI the wait is longer: the provider's own start comes on top.
 */
export function awsProgramStart(ref: StackRef): EngineStart {
  const prefix = `urn:pulumi:${ref.stack}::${ref.project}::`;
  return {
    stack: {
      type: 'pulumi:pulumi:Stack',
      name: `${ref.project}-${ref.stack}`,
      urn: `${prefix}pulumi:pulumi:Stack::${ref.project}-${ref.stack}`,
      properties: {},
    },
    provider: {
      type: 'pulumi:providers:aws',
      name: 'default_7_0_0',
      urn: `${prefix}pulumi:providers:aws::default_7_0_0`,
      properties: { region: 'us-east-1', skipCredentialsValidation: 'true' },
    },
    programLoad: () => importInChild(['@pulumi/pulumi', '@pulumi/aws']),
  };
}

/** Runs a Node process that imports `modules` and exits; rejects when it fails. */
export function importInChild(modules: string[]): Promise<void> {
  const script = modules.map((m) => `await import(${JSON.stringify(m)});`).join(' ');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
      cwd: root,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0
        ? resolve()
        : reject(
            new Error(`importing ${modules.join(', ')} failed (${code}): ${stderr.slice(-500)}`),
          ),
    );
  });
}
