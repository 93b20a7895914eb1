import { defineConfig } from 'vitest/config';

export default defineConfig({
  esbuild: { jsx: 'automatic', jsxImportSource: 'hono/jsx' },
  // Workspace packages resolve to their TypeScript source under the `source` export condition
  // (tsconfig's customConditions says the same to tsc): tests never wait on a build.
  ssr: { resolve: { conditions: ['source'] } },
  test: {
    include: ['**/*.test.ts', '**/*.test.tsx'],
    exclude: ['**/node_modules/**', '**/dist/**'],
    pool: 'forks',
    testTimeout: 15_000,
    hookTimeout: 60_000,
  },
});
