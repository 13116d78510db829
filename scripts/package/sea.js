// Builds the single executable application: exposectl bundled into one CommonJS script
// (Node 24 runs only CommonJS as an executable's main script), run once to make a V8 code
// cache that covers the functions `list` runs (sea-warm.cjs), both embedded as assets
// beside a small loader (sea-loader.cjs) in a preparation blob (`node
// --experimental-sea-config`), injected into a copy of the node binary that runs the
// build (postject). The result needs no node, no node_modules and no file of the repository.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { commonOptions, lazyOclifBuiltins, root } from '../bundle.js';
import { embeddedCommands, inkWithoutDevtools, syncYoga } from './sea-plugins.js';

/** The fuse postject flips in the binary so that Node looks for the injected blob (Node's documented value). */
const SEA_FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';

/** Writes the executable to `output`, working in `workDir`. */
export async function buildExecutable(output, workDir) {
  mkdirSync(workDir, { recursive: true });
  const script = join(workDir, 'exposectl.cjs');
  await build({
    ...commonOptions,
    entryPoints: [`${root}scripts/package/sea-main.ts`],
    outfile: script,
    format: 'cjs',
    plugins: [lazyOclifBuiltins, embeddedCommands, syncYoga, inkWithoutDevtools],
    // Every start parses the whole script (the code cache spares compiling it): minified, it
    // is less than half the size. Names are kept for stack traces and for oclif's messages.
    minify: true,
    keepNames: true,
    // Code that asks for its own file's URL gets the executable's.
    define: { ...commonOptions.define, 'import.meta.url': '__exposectlUrl' },
    banner: { js: "const __exposectlUrl = require('node:url').pathToFileURL(process.execPath).href;" },
  });
  // A function of what the CommonJS wrapper would pass, so that the loader can run it with vm.
  const wrapped = join(workDir, 'exposectl.wrapped.cjs');
  writeFileSync(wrapped, `(function (require, module, exports, __filename, __dirname) {${readFileSync(script, 'utf8')}\n})`);
  const cache = join(workDir, 'exposectl.cache');
  execFileSync(process.execPath, [`${root}scripts/package/sea-warm.cjs`, wrapped, cache, 'list', '-f', `${root}examples/demo/web.yaml`], { env: {}, stdio: ['ignore', 'ignore', 'inherit'] });
  const blob = join(workDir, 'exposectl.blob');
  const config = join(workDir, 'sea-config.json');
  const assets = { 'exposectl.cjs': wrapped, 'exposectl.cache': cache };
  writeFileSync(config, JSON.stringify({ main: `${root}scripts/package/sea-loader.cjs`, output: blob, disableExperimentalSEAWarning: true, assets }));
  execFileSync(process.execPath, ['--experimental-sea-config', config], { stdio: ['ignore', 'ignore', 'inherit'] });
  copyFileSync(process.execPath, output);
  chmodSync(output, 0o755);
  execFileSync(process.execPath, [join(root, 'node_modules/postject/dist/cli.js'), output, 'NODE_SEA_BLOB', blob, '--sentinel-fuse', SEA_FUSE], { stdio: ['ignore', 'ignore', 'pipe'] });
}
