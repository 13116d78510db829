#!/usr/bin/env node
import { globSync, lstatSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { parseArgs } from 'node:util';
// Builds dist/ with esbuild: every command is an entry point and the code they share
// (oclif, yaml, chalk, exposectl's own modules) lands in shared chunks, so start-up
// loads a few files. Every runtime dependency is bundled (the published package installs
// none): the Kubernetes client, Ink and React, elkjs each in chunks of their own that only
// the code paths needing them import (as hundreds of files from node_modules the
// Kubernetes client took about twice the CPU to load).
//
// dist is a symlink to a fresh build folder (.builds/<time>), swapped atomically: a CLI
// already running (a test, another build) keeps its own folder and never sees a half
// written one. Folders older than an hour are removed. `node scripts/bundle.js --outdir DIR`
// writes a plain folder instead (the release package, scripts/package/).
import { build } from 'esbuild';

export const root = new URL('..', import.meta.url).pathname;

/**
 * oclif requires node:child_process (Windows only), node:readline (flags read from stdin)
 * and node:perf_hooks at load time, and they pull in a good part of Node's library (net,
 * dgram, worker_threads, repl history...): about 30 ms of every start. It only reads
 * properties of them when it uses them, so it gets a proxy that loads the module then.
 */
const LAZY_BUILTINS = ['node:child_process', 'node:readline', 'node:perf_hooks'];
export const lazyOclifBuiltins = {
  name: 'lazy-oclif-builtins',
  setup(b) {
    const filter = new RegExp(`^(${LAZY_BUILTINS.join('|')})$`);
    b.onResolve({ filter }, (args) =>
      /[\\/]@oclif[\\/]core[\\/]/.test(args.importer) ? { path: args.path, namespace: 'lazy-builtin' } : undefined,
    );
    // oclif asks wsl-utils whether this is WSL on every start; the package loads
    // node:child_process at the top for its PowerShell helpers, which oclif needs only on Windows.
    b.onResolve({ filter: /^wsl-utils$/ }, (args) =>
      /[\\/]@oclif[\\/]core[\\/]/.test(args.importer) ? { path: 'wsl-utils', namespace: 'oclif-wsl' } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'oclif-wsl' }, () => ({
      loader: 'js',
      resolveDir: `${root}node_modules/@oclif/core`,
      contents: `import isWsl from 'is-wsl';
export { isWsl };
export async function powerShellPath() { return (await import('wsl-utils')).powerShellPath(); }`,
    }));
    b.onLoad({ filter: /.*/, namespace: 'lazy-builtin' }, (args) => ({
      loader: 'js',
      contents: `let m; const load = () => (m ??= require(${JSON.stringify(args.path)}));
module.exports = new Proxy({}, {
  get: (_, k) => load()[k],
  has: (_, k) => k in load(),
  ownKeys: () => Reflect.ownKeys(load()),
  getOwnPropertyDescriptor: (_, k) => { const d = Reflect.getOwnPropertyDescriptor(load(), k); return d && { ...d, configurable: true }; },
});`,
    }));
  },
};

/**
 * Never bundled: typescript/tsx, which oclif asks for only in development mode;
 * react-devtools-core, which Ink imports only when DEV=true; playwright-core (tests only).
 */
export const EXTERNAL = ['typescript', 'tsx', 'ts-node', 'react-devtools-core', 'playwright-core'];

/** The esbuild options both builds share (dist/ here, the single executable in scripts/package/). */
export const commonOptions = {
  absWorkingDir: root,
  bundle: true,
  platform: 'node',
  target: 'node22',
  logLevel: 'warning',
  external: EXTERNAL,
  // React and Ink check NODE_ENV for their development builds.
  define: { 'process.env.NODE_ENV': '"production"' },
};

/** Builds dist/ into `out`; returns esbuild's metafile (what went into the bundle). */
export async function buildDist(out, { sourcemap = 'linked' } = {}) {
  mkdirSync(out, { recursive: true });
  const result = await build({
    ...commonOptions,
    entryPoints: ['src/main.ts', ...globSync('src/commands/**/*.{ts,tsx}', { cwd: root })],
    outdir: out,
    outbase: 'src',
    splitting: true,
    format: 'esm',
    sourcemap,
    metafile: true,
    plugins: [lazyOclifBuiltins],
    // oclif and some of its dependencies are CommonJS and call require().
    banner: {
      js: "import { createRequire as __exposectlRequire } from 'node:module'; const require = __exposectlRequire(import.meta.url);",
    },
  });
  return result.metafile;
}

/** Builds into a fresh folder under .builds/ and points the dist symlink at it. */
async function buildLinkedDist() {
  const builds = `${root}.builds`;
  const out = `${builds}/${Date.now()}-${process.pid}`;
  await buildDist(out);
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
}

if (import.meta.main) {
  const { values } = parseArgs({ options: { outdir: { type: 'string' } } });
  if (values.outdir) await buildDist(values.outdir);
  else await buildLinkedDist();
}
