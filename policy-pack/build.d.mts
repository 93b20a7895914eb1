import type { BuildResult } from 'esbuild';

/** Packages the pack leaves to its `node_modules`. */
export declare const externalPackages: string[];

/** Bundles `entry` (default `src/index.ts`) into `outfile` (default `dist/index.js`). */
export declare function buildPack(options?: {
  entry?: string;
  outfile?: string;
}): Promise<BuildResult<{ metafile: true }>>;
