import { defineConfig } from 'vitest/config';

// Suites: fast pure unit tests; integration tests against the real control plane
// (started once per run by the global setup); network tests against real peers.
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
          // The built CLI (bin/run.js) started as a process on files: flags, help, examples,
          // stdin, exit codes. Needs `npm run build`; slower than unit, so kept apart.
          name: 'cli',
          include: ['test/cli/**/*.test.{ts,tsx}'],
          testTimeout: 60_000,
        },
      },
      {
        test: {
          // Problems users reported and healthy docs configurations, diagnosed by the built CLI
          // (test/realworld/README.md); needs `npm run build`.
          name: 'realworld',
          include: ['test/realworld/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 600_000,
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
      {
        test: {
          // Real network peers (BIRD, GoBGP, arping, HAProxy) in network namespaces that
          // each test creates and removes; needs root, like CI.
          name: 'network',
          include: ['test/network/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
      {
        test: {
          // The release artefacts (npm run package's release/): the npm tarball installed
          // into an empty prefix, the single executable in an empty environment and as a
          // kubectl plugin, checksums and the krew manifest. The global setup builds them.
          name: 'release',
          include: ['test/release/**/*.test.ts'],
          globalSetup: ['test/release/global-setup.ts'],
          testTimeout: 300_000,
          hookTimeout: 900_000,
        },
      },
      {
        test: {
          // The built CLI against a fake API server with programmable faults (HTML 200s,
          // truncated and endless bodies, repeating continue tokens), hostile kubeconfigs
          // and credential files: never a wrong answer (docs/reliability.md). Needs `npm run build`.
          name: 'faults',
          include: ['test/faults/**/*.test.ts'],
          testTimeout: 60_000,
          fileParallelism: false,
        },
      },
      {
        test: {
          // End to end through the lab's parts in network namespaces (router, gateway
          // programs, the lab CLI), each file starting what it needs. Needs root, like CI.
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          exclude: ['test/e2e/modes/**'],
          testTimeout: 120_000,
          hookTimeout: 300_000,
          fileParallelism: false,
        },
      },
      {
        test: {
          // Every exposure mode end to end through a real data plane: one whole lab per run
          // (npm run lab:up: the control plane, kube-proxy, MetalLB speakers, Traefik, a BGP
          // router and a client in network namespaces; docs/lab.md). Needs root and the lab
          // binaries (npm run lab:build, cached); EXPOSECTL_LAB_DIR reuses a running lab.
          name: 'lab',
          include: ['test/e2e/modes/**/*.test.ts'],
          globalSetup: ['test/e2e/global-setup.ts'],
          testTimeout: 180_000,
          hookTimeout: 300_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
