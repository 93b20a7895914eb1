// Bundles the policy pack into one ESM file, so that Pulumi loads it without compiling TypeScript
// and `pulumi policy publish` ships it with only the Pulumi packages as dependencies.
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';

const packDir = path.dirname(fileURLToPath(import.meta.url));
const manifest = JSON.parse(readFileSync(path.join(packDir, 'package.json'), 'utf8'));

/** Where Pulumi loads the pack from: `main` of the pack's package.json. */
export const bundlePath = path.join(packDir, manifest.main);

/** Packages the pack leaves to its `node_modules` (installed by Pulumi from package.json). */
export const externalPackages = ['@pulumi/pulumi', '@pulumi/policy', '@pulumi/aws'];

// Bundled CommonJS code calls `require`, which an ES module lacks; give it one.
const requireBanner = [
  "import { createRequire as __clearanceCreateRequire } from 'node:module';",
  'const require = __clearanceCreateRequire(import.meta.url);',
].join('\n');

/** Where the library entry (`src/library/index.ts`, the package's `default` export) is bundled. */
export const libraryPath = path.join(packDir, 'dist/library.js');

/**
 * Bundles `entry` (default `src/index.ts`) into `outfile` (default: the pack's `main`); relative
 * paths are taken from the current directory. `external` names more packages to leave to
 * `node_modules` (a team's pack that wraps `@pulumi/awsguard`, say).
 * Returns the esbuild result, whose `metafile` lists every bundled input.
 */
export function buildPack({
  entry = path.join(packDir, 'src/index.ts'),
  outfile = bundlePath,
  external = [],
} = {}) {
  return build({
    entryPoints: [path.resolve(entry)],
    outfile: path.resolve(outfile),
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    external: [...externalPackages, ...external].flatMap((name) => [name, `${name}/*`]),
    banner: { js: requireBanner },
    sourcemap: true,
    metafile: true,
    logLevel: 'warning',
    absWorkingDir: packDir,
    // The shared client is bundled from its TypeScript source, so the pack never waits on a build.
    conditions: ['source'],
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const startedAt = performance.now();
  const [result] = await Promise.all([
    buildPack(),
    buildPack({ entry: path.join(packDir, 'src/library/index.ts'), outfile: libraryPath }),
  ]);
  const [outfile, output] = Object.entries(result.metafile.outputs).find(([file]) =>
    file.endsWith('.js'),
  );
  const inputs = Object.keys(result.metafile.inputs).length;
  const ms = Math.round(performance.now() - startedAt);
  console.log(
    `built ${outfile} (${(output.bytes / 1024).toFixed(0)} KiB from ${inputs} inputs) in ${ms} ms`,
  );
}
