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

/**
 * oclif requires node:child_process (Windows only), node:readline (flags read from stdin)
 * and node:perf_hooks at load time, and they pull in a good part of Node's library (net,
 * dgram, worker_threads, repl history...): about 30 ms of every start. It only reads
 * properties of them when it uses them, so it gets a proxy that loads the module then.
 */
const LAZY_BUILTINS = ['node:child_process', 'node:readline', 'node:perf_hooks'];
const lazyOclifBuiltins = {
  name: 'lazy-oclif-builtins',
  setup(b) {
    const filter = new RegExp(`^(${LAZY_BUILTINS.join('|')})$`);
    b.onResolve({ filter }, (args) => (/[\\/]@oclif[\\/]core[\\/]/.test(args.importer) ? { path: args.path, namespace: 'lazy-builtin' } : undefined));
    // oclif asks wsl-utils whether this is WSL on every start; the package loads
    // node:child_process at the top for its PowerShell helpers, which oclif needs only on Windows.
    b.onResolve({ filter: /^wsl-utils$/ }, (args) => (/[\\/]@oclif[\\/]core[\\/]/.test(args.importer) ? { path: 'wsl-utils', namespace: 'oclif-wsl' } : undefined));
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
  plugins: [lazyOclifBuiltins],
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
