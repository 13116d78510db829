// The single executable's entry (scripts/package/sea.js bundles it into one CommonJS
// script): what bin/run.js does for the npm package, with the package's files embedded.
// package.json and oclif.manifest.json are part of the bundle; oclif finds the commands
// in a static table (the `exposectl-sea-commands` module the build generates) instead of
// loading files by path, and `help` and `autocomplete` are in that table too.
//
// The build runs this script once to make a V8 start-up snapshot (sea.js): the modules
// are evaluated then, and every start deserializes them and calls start(). So nothing at
// module level may read the environment, argv, the terminal or the executable's path:
// what does is in start(), and chalk's colour levels are detected again there.
import { dirname } from 'node:path';
import { pathToFileURL } from 'node:url';
import { startupSnapshot } from 'node:v8';
import manifest from '../../oclif.manifest.json' with { type: 'json' };
import pjson from '../../package.json' with { type: 'json' };
import { listExposures } from '../../src/actions/list.js';
import type { Printer } from '../../src/actions/output.js';
import { detectChalkLevels } from '../../src/cli/color.js';
import { parseFastFlags } from '../../src/cli/fast-path.js';
import { type Manifest, main } from '../../src/main.js';
import type { CommonFlags } from '../../src/sources/load.js';

/** Set by the build's banner; code that asks for its own file's URL gets the executable's. */
declare let __exposectlUrl: string;

function start(): void {
  __exposectlUrl = pathToFileURL(process.execPath).href;
  detectChalkLevels();
  // A reader that stops early (`exposectl list | head -1`) is not an error: end quietly.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
  const args = process.argv.slice(2);
  if (args.length === 1 && args[0] === '--version') {
    process.stdout.write(`exposectl/${pjson.version} ${process.platform}-${process.arch} node-${process.version}\n`);
    return;
  }
  // oclif wants a root folder: one that does not exist, so that it reads no manifest or
  // package.json from disk and builds its manifest from the command table.
  const root = `${dirname(process.execPath)}/.exposectl-${pjson.version}-embedded`;
  const oclif = {
    ...pjson.oclif,
    plugins: [],
    commands: { strategy: 'explicit', target: './sea-commands.js', identifier: 'COMMANDS' },
  };
  main(pathToFileURL(`${root}/bin/run.js`).href, {
    manifest: manifest as unknown as Manifest,
    pjson: { ...pjson, oclif },
  }).catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  });
}

/**
 * At build time: `list -f FILE` in every output format, rendered but not printed, so that
 * the snapshot holds the modules it loads on demand and the functions it runs compiled.
 */
const SILENT: Printer = {
  print: async () => {},
  line: () => {},
  note: () => {},
  context: { tty: false, color: false, columns: undefined },
};

async function warmUp(file: string): Promise<void> {
  for (const output of ['table', 'wide', 'json', 'yaml', 'name']) {
    const flags = parseFastFlags(manifest.commands.list as never, [
      '-f',
      file,
      '-o',
      output,
    ]) as unknown as CommonFlags & { output: string };
    const result = await listExposures(flags, SILENT);
    for (const ctx of [
      { tty: false, color: false, columns: undefined },
      { tty: true, color: true, columns: 100 },
    ])
      await result.renderers?.[output]?.(ctx);
  }
}

if (startupSnapshot.isBuildingSnapshot()) {
  startupSnapshot.setDeserializeMainFunction(start);
  // The snapshot is taken once the event loop is empty, after the warm-up.
  const file = process.env.EXPOSECTL_SNAPSHOT_WARM_FILE;
  if (file) void warmUp(file);
} else {
  start();
}
