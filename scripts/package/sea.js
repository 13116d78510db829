// Builds the single executable application: exposectl bundled into one CommonJS script
// (scripts/package/sea-main.ts; Node runs only CommonJS as an executable's main script),
// run once at build time to make a V8 start-up snapshot (`useSnapshot`): the modules that
// `list` needs are evaluated and `list -f` of a small file has run in every output format
// (its functions compiled), so every start deserializes that state instead of parsing,
// compiling and evaluating the script. The blob (`node --experimental-sea-config`) is
// injected into a copy of the node binary that runs the build (postject). The result
// needs no node, no node_modules and no file of the repository.

import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { commonOptions, lazyOclifBuiltins, root } from '../bundle.js';
import { ELK_ASSET, elkFromAsset, embeddedCommands, inkWithoutDevtools, syncYoga } from './sea-plugins.js';

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
    plugins: [lazyOclifBuiltins, embeddedCommands, syncYoga, inkWithoutDevtools, elkFromAsset],
    // The snapshot carries the whole script's text: minified, it is less than half the size.
    // Names are kept for stack traces and for oclif's messages.
    minify: true,
    keepNames: true,
    // Code that asks for its own file's URL gets the executable's (set when it starts: sea-main.ts).
    define: { ...commonOptions.define, 'import.meta.url': '__exposectlUrl' },
    banner: { js: 'let __exposectlUrl;' },
  });
  const blob = join(workDir, 'exposectl.blob');
  const config = join(workDir, 'sea-config.json');
  const assets = { [ELK_ASSET.name]: ELK_ASSET.path };
  writeFileSync(
    config,
    JSON.stringify({ main: script, output: blob, disableExperimentalSEAWarning: true, useSnapshot: true, assets }),
  );
  // Nothing of the build machine's environment goes into the snapshot; only the warm-up's file.
  const env = { EXPOSECTL_SNAPSHOT_WARM_FILE: `${root}examples/demo/web.yaml` };
  execFileSync(process.execPath, ['--experimental-sea-config', config], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  copyFileSync(process.execPath, output);
  chmodSync(output, 0o755);
  execFileSync(
    process.execPath,
    [join(root, 'node_modules/postject/dist/cli.js'), output, 'NODE_SEA_BLOB', blob, '--sentinel-fuse', SEA_FUSE],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
}
