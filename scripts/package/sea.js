// Builds the single executable application: exposectl bundled into one CommonJS script
// (Node 24 runs only CommonJS as an executable's main script), turned into a preparation
// blob with a V8 code cache (`node --experimental-sea-config`), and injected into a copy
// of the node binary that runs the build (postject). The result needs no node, no
// node_modules and no file of the repository.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
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
  const blob = join(workDir, 'exposectl.blob');
  const config = join(workDir, 'sea-config.json');
  writeFileSync(config, JSON.stringify({ main: script, output: blob, disableExperimentalSEAWarning: true, useCodeCache: true }));
  execFileSync(process.execPath, ['--experimental-sea-config', config], { stdio: ['ignore', 'ignore', 'inherit'] });
  copyFileSync(process.execPath, output);
  chmodSync(output, 0o755);
  execFileSync(process.execPath, [join(root, 'node_modules/postject/dist/cli.js'), output, 'NODE_SEA_BLOB', blob, '--sentinel-fuse', SEA_FUSE], { stdio: ['ignore', 'ignore', 'pipe'] });
}
