import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { buildPack } from '../../policy-pack/build.mjs';
import { exampleDir } from './pulumi-project.js';
import type { PulumiResult } from './pulumi-project.js';
import type { RealExample } from './real-example.js';

/**
 * Builds an example's own policy pack (`examples/<example>/pack`) as its `npm run build` does:
 * the Clearance library bundled in, its `dependencies` left to node_modules. Returns its folder,
 * as a user passes it to `--policy-pack`.
 */
export async function buildExamplePack(example: string): Promise<string> {
  const dir = join(exampleDir(example), 'pack');
  const manifest = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')) as {
    main: string;
    dependencies: Record<string, string>;
  };
  await buildPack({
    entry: join(dir, 'index.ts'),
    outfile: join(dir, manifest.main),
    external: Object.keys(manifest.dependencies),
  });
  return dir;
}

/** `pulumi preview` or `pulumi up --yes` of the example with `packDir` as its policy pack. */
export function withPack(ex: RealExample, packDir: string) {
  const run =
    (command: string[]) =>
    (env: Record<string, string> = {}, args: string[] = []): Promise<PulumiResult> =>
      ex.project.pulumi(
        [...command, '--stack', ex.project.stack, '--policy-pack', packDir, ...args],
        { now: ex.svc.clock.now(), env },
      );
  return { preview: run(['preview']), up: run(['up', '--yes']) };
}
