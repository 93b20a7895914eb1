import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

const testFiles = ['**/*.test.ts', '**/*.test.tsx'];
const neverTests = ['**/node_modules/**', '**/dist/**'];

/**
 * Tests that start processes (the real Pulumi CLI, policy packs, the service's CLI), browsers or
 * servers of their own, or read `npm run build`'s output. Everything else runs in-process: the
 * `unit` project, which `npm run test:quick` runs alone.
 */
const integrationFiles = [
  'test/**/*.test.ts',
  'bench/**/*.test.ts',
  'examples/harness/**/*.test.ts',
  'scripts/**/*.test.ts',
  'approval-service/src/cli/bin.test.ts',
  'approval-service/src/cli/start-script.test.ts',
  'approval-service/src/store/directory-lock.test.ts',
  'approval-service/src/**/postgres*.test.ts',
];

/** The slowest files of all, one real Pulumi run after another: started first, ahead of the rest. */
const slowestFirst = /[\\/]test[\\/]real-pulumi[\\/]/;

/**
 * Vitest's order (integration before unit, then the longest last time, or the largest file on a
 * first run such as CI's), with the real-CLI files moved to the front: they would otherwise start
 * late on a first run and finish alone.
 */
class RealCliFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const first = (f: TestSpecification) => (slowestFirst.test(f.moduleId) ? 0 : 1);
    return sorted.sort((a, b) => first(a) - first(b));
  }
}

export default defineConfig({
  oxc: { jsx: { runtime: 'automatic', importSource: 'hono/jsx' } },
  // Workspace packages resolve to their TypeScript source under the `source` export condition
  // (tsconfig's customConditions says the same to tsc): tests never wait on a build.
  ssr: { resolve: { conditions: ['source'] } },
  test: {
    pool: 'forks',
    // One pool for both projects: the integration files (started first, as isolated files go
    // first) mostly wait on their child processes, and unit files fill the gaps. Vitest's
    // default, one worker less than the CPUs, is a single worker on a 2-core machine.
    maxWorkers: 3,
    sequence: { sequencer: RealCliFirst },
    testTimeout: 15_000,
    hookTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: testFiles,
          exclude: [...neverTests, ...integrationFiles],
          // Files share a worker's loaded modules (zod, hono, @pulumi/pulumi...) instead of
          // loading them again each: a unit test must leave no module state behind.
          isolate: false,
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: integrationFiles,
          exclude: neverTests,
          // The policy pack, built from source once for the whole run (test/pack's files use it).
          globalSetup: ['test/pack/built-pack.setup.ts'],
        },
      },
    ],
  },
});
