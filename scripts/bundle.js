#!/usr/bin/env node
// Builds dist/ with esbuild: every command is an entry point and the code they share
// (oclif, yaml, chalk, exposectl's own modules) lands in shared chunks, so start-up
// loads a few files. Heavy libraries that only some code paths need stay external and
// are imported lazily from node_modules (the Kubernetes client, Ink, elkjs, ...).
import { build } from 'esbuild';
import { globSync, rmSync } from 'node:fs';

const root = new URL('..', import.meta.url).pathname;
rmSync(`${root}dist`, { recursive: true, force: true });

await build({
  absWorkingDir: root,
  entryPoints: ['src/main.ts', ...globSync('src/commands/**/*.{ts,tsx}', { cwd: root })],
  outdir: 'dist',
  outbase: 'src',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node22',
  sourcemap: 'linked',
  logLevel: 'warning',
  // Loaded lazily, only by the code paths that need them; and typescript/tsx, which
  // oclif asks for only in development mode.
  external: ['@kubernetes/client-node', 'ink', 'react', 'react/jsx-runtime', 'elkjs', 'playwright-core', 'typescript', 'tsx'],
  // oclif and some of its dependencies are CommonJS and call require().
  banner: { js: "import { createRequire as __exposectlRequire } from 'node:module'; const require = __exposectlRequire(import.meta.url);" },
});
