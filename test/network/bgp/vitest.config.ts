import { defineConfig } from 'vitest/config';

// Stand-alone config for the BGP network-namespace tests until the main config has a
// `network` project: npx vitest run --config test/network/bgp/vitest.config.ts
// (as root; needs iproute2, gobgpd, bird2).
export default defineConfig({
  root: new URL('../../..', import.meta.url).pathname,
  test: {
    name: 'network',
    include: ['test/network/bgp/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    fileParallelism: false,
  },
});
