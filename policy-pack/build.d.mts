import type { BuildResult } from 'esbuild';

/** Packages the pack leaves to its `node_modules`. */
export declare const externalPackages: string[];

/** Where Pulumi loads the pack from: `main` of the pack's package.json. */
export declare const bundlePath: string;

/** Where the library entry (`src/library/index.ts`) is bundled. */
export declare const libraryPath: string;

/**
 * Bundles `entry` (default `src/index.ts`) into `outfile` (default: the pack's `main`), leaving
 * the Pulumi packages and `external` to `node_modules`.
 */
export declare function buildPack(options?: {
  entry?: string;
  outfile?: string;
  external?: string[];
}): Promise<BuildResult<{ metafile: true }>>;
