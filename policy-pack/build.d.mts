import type { BuildResult } from 'esbuild';

/** Packages the pack leaves to its `node_modules`. */
export declare const externalPackages: string[];

/** Where Pulumi loads the pack from: `main` of the pack's package.json. */
export declare const bundlePath: string;

/** Bundles `entry` (default `src/index.ts`) into `outfile` (default: the pack's `main`). */
export declare function buildPack(options?: {
  entry?: string;
  outfile?: string;
}): Promise<BuildResult<{ metafile: true }>>;
