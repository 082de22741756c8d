import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const protocolSrc = (file: string) => fileURLToPath(new URL(`./protocol/src/${file}`, import.meta.url));

export default defineConfig({
  // Exact matches, so that `@bascule/protocol/runtime` is not rewritten as `index.ts/runtime`.
  resolve: {
    alias: [
      { find: /^@bascule\/protocol$/, replacement: protocolSrc('index.ts') },
      { find: /^@bascule\/protocol\/runtime$/, replacement: protocolSrc('runtime.ts') },
    ],
  },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['protocol/src/**/*.spec.ts', 'agent/src/**/*.spec.ts', 'hub/src/**/*.spec.ts'],
          environment: 'node',
        },
      },
      {
        // The hub's specs again, on PostgreSQL (a throwaway cluster from Debian's package): both stores, one suite.
        extends: true,
        test: {
          name: 'hub-pg',
          include: ['hub/src/**/*.spec.ts'],
          environment: 'node',
          globalSetup: ['hub/test-pg/postgres-global-setup.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'ui',
          include: ['admin-ui/src/**/*.spec.{ts,tsx}'],
          environment: 'node',
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 120_000,
          // Real processes on random ports; files run one at a time to keep a 2-core machine honest.
          fileParallelism: false,
        },
      },
    ],
  },
});
