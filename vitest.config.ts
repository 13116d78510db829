import { defineConfig } from 'vitest/config';

// Two suites: fast pure unit tests, and integration tests that run against the real
// control plane (started once per run by the global setup) and real network peers.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.{ts,tsx}'],
          testTimeout: 20_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          globalSetup: ['test/integration/global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 300_000,
          // One cluster per run; files share it, each in its own namespace.
          fileParallelism: false,
        },
      },
    ],
  },
});
