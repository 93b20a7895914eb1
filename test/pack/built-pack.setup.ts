import type { TestProject } from 'vitest/node';
import { buildPackCopy } from './built-pack.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The pack built from source once for the run (see `sharedPackDir()`). */
    builtPackDir: string;
  }
}

/**
 * Global setup of the integration project: builds the pack once, before any file starts, for
 * every file that runs the pack from source. Removed once all files have finished.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const pack = await buildPackCopy();
  project.provide('builtPackDir', pack.dir);
  return () => pack.remove();
}
