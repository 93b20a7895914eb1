import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  esbuild: { jsx: 'automatic', jsxImportSource: 'hono/jsx' },
  resolve: {
    // Tests use the shared client from source, as the pack build does: one module instance.
    alias: {
      '@clearance/approval-service/client': fileURLToPath(
        new URL('./approval-service/src/client/index.ts', import.meta.url),
      ),
    },
  },
  test: {
    include: ['**/*.test.ts', '**/*.test.tsx'],
    exclude: ['**/node_modules/**', '**/dist/**'],
    pool: 'forks',
    testTimeout: 15_000,
    hookTimeout: 60_000,
  },
});
