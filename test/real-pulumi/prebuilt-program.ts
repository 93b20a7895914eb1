import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { build } from 'esbuild';
import { parse, stringify } from 'yaml';

/** The bundle of a prebuilt program, beside its Pulumi.yaml (the program's folder stays the project's). */
export const prebuiltMain = 'index.prebuilt.mjs';

interface ProjectManifest {
  main?: string;
  runtime: string | { name: string; options?: Record<string, unknown> };
}

/**
 * Turns a copied TypeScript program into plain JavaScript, as a CI job that compiles before
 * `pulumi up` would: its entry and the workspace code it imports (`@clearance/temporary`, the
 * client) are bundled by esbuild into `index.prebuilt.mjs`, the Pulumi packages stay external,
 * and Pulumi.yaml names the bundle as `main` and drops the `--import tsx` loader. The program
 * does the same; Node no longer hooks each of the ~1,100 modules the Pulumi packages load, which
 * halves the CPU of every program run.
 */
export async function prebuildProgram(dir: string): Promise<void> {
  const manifestPath = join(dir, 'Pulumi.yaml');
  const manifest = parse(await readFile(manifestPath, 'utf8')) as ProjectManifest;
  const pkg = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')) as { main?: string };
  await build({
    entryPoints: [join(dir, manifest.main ?? pkg.main ?? 'index.ts')],
    outfile: join(dir, prebuiltMain),
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    conditions: ['source'],
    external: ['@pulumi/*'],
    logLevel: 'warning',
  });
  const runtime: { name: string; options?: Record<string, unknown> } =
    typeof manifest.runtime === 'string' ? { name: manifest.runtime } : manifest.runtime;
  const options: Record<string, unknown> = { ...runtime.options, typescript: false };
  delete options.nodeargs;
  await writeFile(
    manifestPath,
    stringify({ ...manifest, main: prebuiltMain, runtime: { ...runtime, options } }),
  );
}
