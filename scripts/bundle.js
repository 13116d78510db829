#!/usr/bin/env node
// Builds dist/ with esbuild: every command is an entry point and the code they share
// (oclif, yaml, chalk, exposectl's own modules) lands in shared chunks, so start-up
// loads a few files. The Kubernetes client is bundled too, in chunks of its own that only
// the cluster code paths import (as hundreds of files from node_modules it took about
// twice the CPU to load). Other heavy libraries that only some code paths need stay
// external and are imported lazily from node_modules (Ink, elkjs, ...).
//
// dist is a symlink to a fresh build folder (.builds/<time>), swapped atomically: a CLI
// already running (a test, another build) keeps its own folder and never sees a half
// written one. Folders older than an hour are removed.
import { build } from 'esbuild';
import { globSync, lstatSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, symlinkSync } from 'node:fs';

const root = new URL('..', import.meta.url).pathname;
const builds = `${root}.builds`;
const out = `${builds}/${Date.now()}-${process.pid}`;
mkdirSync(out, { recursive: true });

await build({
  absWorkingDir: root,
  entryPoints: ['src/main.ts', ...globSync('src/commands/**/*.{ts,tsx}', { cwd: root })],
  outdir: out,
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
  external: ['ink', 'react', 'react/jsx-runtime', 'elkjs', 'playwright-core', 'typescript', 'tsx'],
  // oclif and some of its dependencies are CommonJS and call require().
  banner: { js: "import { createRequire as __exposectlRequire } from 'node:module'; const require = __exposectlRequire(import.meta.url);" },
});

const link = `${root}dist`;
const tmpLink = `${link}.${process.pid}`;
symlinkSync(out.slice(root.length), tmpLink);
try {
  if (!lstatSync(link).isSymbolicLink()) rmSync(link, { recursive: true, force: true });
} catch {
  // no dist yet
}
renameSync(tmpLink, link);
for (const old of readdirSync(builds)) {
  const path = `${builds}/${old}`;
  if (path !== out && Date.now() - statSync(path).mtimeMs > 3_600_000) rmSync(path, { recursive: true, force: true });
}
