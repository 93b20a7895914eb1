import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
/** The folder `npm run pulumi:cli` links the built CLI into. */
const builtDir = join(root, '.tools', 'bin');
/** The stand-in AWS provider (`pulumi-resource-aws`), put first on PATH for every real run. */
export const standInAwsBin = fileURLToPath(new URL('./stand-in-aws/bin', import.meta.url));

function hasCli(dir: string): boolean {
  return existsSync(join(dir, 'pulumi')) && existsSync(join(dir, 'pulumi-language-nodejs'));
}

function pathDirWithCli(): string | undefined {
  return (process.env.PATH ?? '').split(delimiter).find((d) => d !== '' && hasCli(d));
}

/**
 * Where the real `pulumi` CLI is: `.tools/bin` (built by `npm run pulumi:cli`), else a `pulumi`
 * on PATH. Undefined when neither exists: the real suite then skips with a loud line, except
 * under CI=true, where it fails.
 */
export function realCliDir(): string | undefined {
  if (hasCli(builtDir)) return builtDir;
  return pathDirWithCli();
}

const announced = new Set<string>();

/** Whether to run the real-CLI suite here; prints why not, once per file. */
export function realCliAvailable(suite: string): boolean {
  const dir = realCliDir();
  if (dir !== undefined) return true;
  const go = spawnSync('go', ['version']).status === 0;
  const why = go
    ? 'the CLI is not built yet: run `npm run pulumi:cli` (npm test does it first)'
    : 'neither the Pulumi CLI nor Go is installed';
  if (process.env.CI === 'true') {
    throw new Error(`real Pulumi CLI missing under CI: ${why}`);
  }
  if (!announced.has(suite)) {
    announced.add(suite);
    console.warn(`\n!!! SKIPPING ${suite} (real Pulumi CLI): ${why}\n`);
  }
  return false;
}
