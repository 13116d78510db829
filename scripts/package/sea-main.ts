// The single executable's entry (scripts/package/sea.js bundles it into one CommonJS
// script): what bin/run.js does for the npm package, with the package's files embedded.
// package.json and oclif.manifest.json are part of the bundle; oclif finds the commands
// in a static table (the `exposectl-sea-commands` module the build generates) instead of
// loading files by path, and `help` and `autocomplete` are in that table too.
import { dirname } from 'node:path';
import { pathToFileURL } from 'node:url';
import manifest from '../../oclif.manifest.json' with { type: 'json' };
import pjson from '../../package.json' with { type: 'json' };
import { main, type Manifest } from '../../src/main.js';

// A reader that stops early (`exposectl list | head -1`) is not an error: end quietly.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

const args = process.argv.slice(2);
if (args.length === 1 && args[0] === '--version') {
  process.stdout.write(`exposectl/${pjson.version} ${process.platform}-${process.arch} node-${process.version}\n`);
} else {
  // oclif wants a root folder: one that does not exist, so that it reads no manifest or
  // package.json from disk and builds its manifest from the command table.
  const root = `${dirname(process.execPath)}/.exposectl-${pjson.version}-embedded`;
  const oclif = { ...pjson.oclif, plugins: [], commands: { strategy: 'explicit', target: './sea-commands.js', identifier: 'COMMANDS' } };
  main(pathToFileURL(`${root}/bin/run.js`).href, { manifest: manifest as unknown as Manifest, pjson: { ...pjson, oclif } }).catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  });
}
